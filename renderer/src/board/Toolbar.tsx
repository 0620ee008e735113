import { useEffect, useId, useRef } from 'react'
import {
  type Member,
  type OutputType,
  REVIEW_STATES,
  RISK_TIERS,
  type RiskTier,
} from '../../../shared/domain/types.ts'
import { RISK_WORD } from '../ui/labels.ts'
import { useUi } from '../ui/store.ts'
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
  const id = useId()
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
  return (
    <div className="toolbar" role="toolbar" aria-label="Board filters">
      <button
        type="button"
        className="primary"
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
      <label htmlFor={`${id}-type`} className="visually-hidden">
        Filter by type
      </label>
      <select
        id={`${id}-type`}
        value={filters.typeId ?? ''}
        onChange={(e) => setFilters({ typeId: e.target.value || null })}
      >
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-risk`} className="visually-hidden">
        Filter by risk
      </label>
      <select
        id={`${id}-risk`}
        value={filters.risk ?? ''}
        onChange={(e) => setFilters({ risk: (e.target.value || null) as RiskTier | null })}
      >
        <option value="">Any risk</option>
        {RISK_TIERS.map((r) => (
          <option key={r} value={r}>
            {RISK_WORD[r]} risk
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-who`} className="visually-hidden">
        Filter by person
      </label>
      <select
        id={`${id}-who`}
        value={filters.assignee ?? ''}
        onChange={(e) => setFilters({ assignee: e.target.value || null })}
      >
        <option value="">Anyone</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      {tags.length > 0 && (
        <>
          <label htmlFor={`${id}-tag`} className="visually-hidden">
            Filter by tag
          </label>
          <select
            id={`${id}-tag`}
            value={filters.tag ?? ''}
            onChange={(e) => setFilters({ tag: e.target.value || null })}
          >
            <option value="">Any tag</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                #{t}
              </option>
            ))}
          </select>
        </>
      )}
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
