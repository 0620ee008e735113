import { type ReactNode, useId, useState } from 'react'

/**
 * Small hand-drawn SVG charts. Every chart is a figure with a heading, an SVG with role="img" and
 * an aria-label that says what it shows, and the same numbers as a table: always readable by a
 * screen reader, shown on screen with the "Show data" toggle.
 */

export interface DataTable {
  columns: string[]
  rows: (string | number)[][]
}

export function ChartCard({
  title,
  summary,
  table,
  note,
  children,
}: {
  title: string
  summary: string
  table: DataTable
  note?: ReactNode
  children: ReactNode
}) {
  const [shown, setShown] = useState(false)
  const id = useId()
  const tableId = `${id}-table`
  const headingId = `${id}-title`
  return (
    <section className="in-card" aria-labelledby={headingId}>
      <div className="in-card-top">
        <h2 id={headingId}>{title}</h2>
        <button
          type="button"
          className="small"
          aria-expanded={shown}
          aria-controls={tableId}
          onClick={() => setShown((v) => !v)}
        >
          {shown ? 'Hide data' : 'Show data'}
        </button>
      </div>
      {note && <p className="in-note">{note}</p>}
      {table.rows.length === 0 ? (
        <p className="in-empty">Nothing to show yet.</p>
      ) : (
        <div role="img" aria-label={`${title}: ${summary}`} className="in-chart">
          {children}
        </div>
      )}
      <div className={shown ? 'in-table-wrap' : 'visually-hidden'}>
        <table id={tableId} className="in-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={c} scope="col" className={i === 0 ? undefined : 'num'}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={table.columns[i]} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={table.columns[i]} className="num">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

const WIDTH = 560
const LABEL = 150
const VALUE = 70
const ROW = 26
const BAR = 16

export interface Bar {
  label: string
  value: number
  /** What is written after the bar. */
  display: string
  /** A second mark on the bar (a p90 tick). */
  marker?: number
}

/** Horizontal bars, one per row, scaled to `max` (the largest value if not given). */
export function BarChart({
  bars,
  max,
  colour = '#5b7fd6',
}: {
  bars: readonly Bar[]
  max?: number
  colour?: string
}) {
  const top = Math.max(max ?? 0, ...bars.map((b) => Math.max(b.value, b.marker ?? 0)), 1e-9)
  const plot = WIDTH - LABEL - VALUE
  const height = bars.length * ROW + 4
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" height={height} aria-hidden="true" focusable="false">
      {bars.map((b, i) => {
        const y = i * ROW + 2
        const w = Math.max(b.value > 0 ? 2 : 0, (b.value / top) * plot)
        return (
          <g key={b.label}>
            <text x={LABEL - 8} y={y + BAR - 3} textAnchor="end" className="in-label">
              {clip(b.label)}
            </text>
            <rect x={LABEL} y={y} width={plot} height={BAR} rx={3} className="in-track" />
            <rect x={LABEL} y={y} width={w} height={BAR} rx={3} fill={colour} />
            {b.marker !== undefined && (
              <line
                x1={LABEL + (b.marker / top) * plot}
                x2={LABEL + (b.marker / top) * plot}
                y1={y - 2}
                y2={y + BAR + 2}
                className="in-marker"
              />
            )}
            <text x={LABEL + plot + 6} y={y + BAR - 3} className="in-value">
              {b.display}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

export interface Segment {
  key: string
  label: string
  colour: string
}

/** One horizontal bar per row, split into segments; with a legend of the segments used. */
export function StackedBarChart({
  rows,
  segments,
}: {
  rows: readonly { label: string; values: Record<string, number> }[]
  segments: readonly Segment[]
}) {
  const totals = rows.map((r) => segments.reduce((n, s) => n + (r.values[s.key] ?? 0), 0))
  const top = Math.max(1, ...totals)
  const plot = WIDTH - LABEL - VALUE
  const height = rows.length * ROW + 4
  const used = segments.filter((s) => rows.some((r) => (r.values[s.key] ?? 0) > 0))
  return (
    <>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        height={height}
        aria-hidden="true"
        focusable="false"
      >
        {rows.map((r, i) => {
          const y = i * ROW + 2
          let x = LABEL
          return (
            <g key={r.label}>
              <text x={LABEL - 8} y={y + BAR - 3} textAnchor="end" className="in-label">
                {clip(r.label)}
              </text>
              <rect x={LABEL} y={y} width={plot} height={BAR} rx={3} className="in-track" />
              {segments.map((s) => {
                const v = r.values[s.key] ?? 0
                if (v === 0) return null
                const w = (v / top) * plot
                const rect = (
                  <rect key={s.key} x={x} y={y} width={w} height={BAR} fill={s.colour} stroke="#fff" />
                )
                x += w
                return rect
              })}
              <text x={LABEL + plot + 6} y={y + BAR - 3} className="in-value">
                {totals[i]}
              </text>
            </g>
          )
        })}
      </svg>
      <ul className="in-legend" aria-hidden="true">
        {used.map((s) => (
          <li key={s.key}>
            <span className="in-swatch" style={{ background: s.colour }} />
            {s.label}
          </li>
        ))}
      </ul>
    </>
  )
}

const clip = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s)
