import { useEffect, useId, useRef } from 'react'
import { type Member, type OutputType, REVIEW_STATES, RISK_TIERS } from '../../../shared/domain/types.ts'
import { RISK_WORD } from '../ui/labels.ts'
import { type BoardFilters, useUi } from '../ui/store.ts'
import { useBoardUi } from './board-store.ts'

/** Filters (type, risk, person, waiting for me, closed), title search and "New output". */
export function Toolbar({
  types,
  members,
  total,
  shown,
  tags,
}: {
  types: readonly OutputType[]
  members: readonly Member[]
  total: number
  /** Cards on the board after the search and the filters. */
  shown: number
  /** Every tag on the board. */
  tags: readonly string[]
}) {
  const filters = useUi((s) => s.filters)
  const setFilters = useUi((s) => s.setFilters)
  const search = useBoardUi((s) => s.search)
  const setSearch = useBoardUi((s) => s.setSearch)
  const openNewOutput = useBoardUi((s) => s.openNewOutput)
  const findRequest = useBoardUi((s) => s.findRequest)
  const searchRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (findRequest > 0) searchRef.current?.focus()
  }, [findRequest])
  const showClosed = (filters.states ?? []).length > 0
  const active =
    filters.typeId !== null ||
    filters.risk !== null ||
    filters.assignee !== null ||
    (filters.tag ?? null) !== null ||
    filters.waitingForMe ||
    showClosed ||
    search !== ''
  const lists: ListFilter[] = [
    { key: 'typeId', label: 'Filter by type', any: 'All types', options: types.map((t) => [t.id, t.name]) },
    {
      key: 'risk',
      label: 'Filter by risk',
      any: 'Any risk',
      options: RISK_TIERS.map((r) => [r, `${RISK_WORD[r]} risk`]),
    },
    {
      key: 'assignee',
      label: 'Filter by person',
      any: 'Anyone',
      options: members.map((m) => [m.id, m.name]),
    },
  ]
  if (tags.length > 0)
    lists.push({ key: 'tag', label: 'Filter by tag', any: 'Any tag', options: tags.map((t) => [t, `#${t}`]) })
  return (
    <div className="toolbar" role="toolbar" aria-label="Board filters">
      <button
        type="button"
        className="primary"
        data-new-output
        onClick={() => openNewOutput()}
        aria-keyshortcuts="Control+N Alt+N"
        title="New output (Ctrl+N or Alt+N; or drop a .md, .txt or .html file on the window)"
      >
        New output
      </button>
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder="Find by title"
        aria-label="Find outputs by title"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {lists.map((f) => (
        <FilterSelect
          key={f.key}
          label={f.label}
          any={f.any}
          value={filters[f.key] ?? null}
          options={f.options}
          // Each value is one of the list's options (a risk one of RISK_TIERS).
          onChange={(value) => setFilters({ [f.key]: value } as Partial<BoardFilters>)}
        />
      ))}
      <label className="check">
        <input
          type="checkbox"
          checked={filters.waitingForMe}
          onChange={(e) => setFilters({ waitingForMe: e.target.checked })}
        />
        Waiting for me
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={showClosed}
          onChange={(e) => setFilters(e.target.checked ? { states: [...REVIEW_STATES] } : { states: [] })}
        />
        Show rejected and archived
      </label>
      {active && (
        <button
          type="button"
          className="link"
          onClick={() => {
            setFilters({
              typeId: null,
              risk: null,
              assignee: null,
              tag: null,
              waitingForMe: false,
              states: [],
            })
            setSearch('')
          }}
        >
          Clear filters
        </button>
      )}
      <span className="toolbar-count" role="status" aria-label="Outputs shown">
        {shown === total
          ? `${total.toLocaleString()} output${total === 1 ? '' : 's'}`
          : `${shown.toLocaleString()} of ${total.toLocaleString()} outputs`}
      </span>
    </div>
  )
}

/** A filter chosen from a list: the key of the board's filters it sets, and its choices as [value, label]. */
interface ListFilter {
  key: 'typeId' | 'risk' | 'assignee' | 'tag'
  label: string
  any: string
  options: readonly (readonly [value: string, label: string])[]
}

/** One filter: a select whose first choice (empty) means no filter, named for screen readers. */
function FilterSelect(
  props: Omit<ListFilter, 'key'> & {
    value: string | null
    onChange: (value: string | null) => void
  },
) {
  const id = useId()
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {props.label}
      </label>
      <select id={id} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || null)}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </>
  )
}
