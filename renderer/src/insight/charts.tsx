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
  return (
    <Bars count={bars.length}>
      {bars.map((b, i) => (
        <BarRow key={b.label} index={i} label={b.label} value={b.display}>
          {(y) => (
            <>
              <rect
                x={LABEL}
                y={y}
                width={Math.max(b.value > 0 ? 2 : 0, (b.value / top) * plot)}
                height={BAR}
                rx={3}
                fill={colour}
              />
              {b.marker !== undefined && (
                <line
                  x1={LABEL + (b.marker / top) * plot}
                  x2={LABEL + (b.marker / top) * plot}
                  y1={y - 2}
                  y2={y + BAR + 2}
                  className="in-marker"
                />
              )}
            </>
          )}
        </BarRow>
      ))}
    </Bars>
  )
}

/** The drawing of a bar chart with `count` rows (the charts are read from their tables). */
function Bars({ count, children }: { count: number; children: ReactNode }) {
  const height = count * ROW + 4
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" height={height} aria-hidden="true" focusable="false">
      {children}
    </svg>
  )
}

/** Row `index` of a bar chart: its label, the empty track, the bar `children` draws at `y`, the value. */
function BarRow({
  index,
  label,
  value,
  children,
}: {
  index: number
  label: string
  value: ReactNode
  children: (y: number) => ReactNode
}) {
  const y = index * ROW + 2
  const plot = WIDTH - LABEL - VALUE
  return (
    <g>
      <text x={LABEL - 8} y={y + BAR - 3} textAnchor="end" className="in-label">
        {clip(label)}
      </text>
      <rect x={LABEL} y={y} width={plot} height={BAR} rx={3} className="in-track" />
      {children(y)}
      <text x={LABEL + plot + 6} y={y + BAR - 3} className="in-value">
        {value}
      </text>
    </g>
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
  const used = segments.filter((s) => rows.some((r) => (r.values[s.key] ?? 0) > 0))
  return (
    <>
      <Bars count={rows.length}>
        {rows.map((r, i) => (
          <BarRow key={r.label} index={i} label={r.label} value={totals[i]}>
            {(y) => {
              let x = LABEL
              return segments.map((s) => {
                const v = r.values[s.key] ?? 0
                if (v === 0) return null
                const w = (v / top) * plot
                const rect = (
                  <rect key={s.key} x={x} y={y} width={w} height={BAR} fill={s.colour} stroke="#fff" />
                )
                x += w
                return rect
              })
            }}
          </BarRow>
        ))}
      </Bars>
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
