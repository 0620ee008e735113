import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react'

export interface TabDef {
  id: string
  label: string
  render: () => ReactNode
}

interface Props {
  label: string
  tabs: readonly TabDef[]
  selected: string
  onSelect: (id: string) => void
}

/**
 * A WAI-ARIA tablist: one tab in the Tab order, arrows (and Home/End) move between tabs and
 * select them, the panel follows.
 */
export function Tabs({ label, tabs, selected, onSelect }: Props) {
  const base = useId()
  const refs = useRef(new Map<string, HTMLButtonElement>())
  const current = tabs.find((t) => t.id === selected) ?? tabs[0]
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === current?.id)
    let next: number | null = null
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = tabs.length - 1
    if (next === null) return
    e.preventDefault()
    const tab = tabs[next]
    if (!tab) return
    onSelect(tab.id)
    refs.current.get(tab.id)?.focus()
  }
  return (
    <div className="st-tabs">
      <div role="tablist" aria-label={label} className="st-tablist" onKeyDown={onKeyDown}>
        {tabs.map((t) => {
          const active = t.id === current?.id
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el)
                else refs.current.delete(t.id)
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={active}
              aria-controls={`${base}-panel-${t.id}`}
              tabIndex={active ? 0 : -1}
              className="st-tab"
              onClick={() => onSelect(t.id)}
            >
              {t.label}
            </button>
          )
        })}
      </div>
      {current && (
        <div
          role="tabpanel"
          id={`${base}-panel-${current.id}`}
          aria-labelledby={`${base}-tab-${current.id}`}
          className="st-panel"
        >
          {current.render()}
        </div>
      )}
    </div>
  )
}
