import { useEffect, useMemo, useState } from 'react'
import type { ReviewState } from '../../../shared/domain/types.ts'
import {
  computeInsight,
  formatDuration,
  type PerTypeDistribution,
  type Rate,
} from '../../../shared/insight/metrics.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { STATE_LABEL } from '../ui/labels.ts'
import { useUi } from '../ui/store.ts'
import { BarChart, ChartCard, type Segment, StackedBarChart } from './charts.tsx'
import { useInsightTrails } from './use-trails.ts'
import './insight.css'

/** Calm state colours, in board order; the risk and status colours of the app where they fit. */
const STATE_COLOUR: Record<ReviewState, string> = {
  draft: '#aab4bf',
  in_review: '#5b7fd6',
  changes_requested: '#d6a24a',
  approved: '#4f9a6a',
  approved_stale: '#9cc7a8',
  published: '#2f6b4f',
  rejected: '#c0605a',
  archived: '#d5dae0',
}

/** "1 published output", "2 published outputs". */
const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

const pct = (r: Rate) => (r.rate === undefined ? '–' : `${Math.round(r.rate * 100)}%`)

/** A workspace's review work in charts: where outputs are, how long they take, what fails. */
export function Dashboard({ session }: { session: WorkspaceSession }) {
  const show = useUi((s) => s.show)
  const summaries = useObserved(session, () => session.workspace.allSummaries())
  const types = useObserved(session, () => session.workspace.types.all())
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  const { trails, loading, failed } = useInsightTrails(session, summaries)
  const insight = useMemo(
    () => computeInsight({ summaries, trails, types, now }),
    [summaries, trails, types, now],
  )
  const { counts } = insight
  const typeRows = counts.types.filter((t) => (counts.perType[t.id] ?? 0) > 0)
  const segments: Segment[] = counts.states.map((s) => ({
    key: s,
    label: STATE_LABEL[s],
    colour: STATE_COLOUR[s],
  }))
  const basedOn = `Based on ${insight.basedOn} of ${counts.total} output${counts.total === 1 ? '' : 's'}`
  // Each chart says how many things its figure is made of; "based on 2 of 2 outputs" under a median
  // of one published output read as a median of two. Which outputs could be read is said once, at
  // the top, and under each chart only while some are missing.
  const coverage = insight.basedOn < counts.total ? ` ${basedOn} read so far.` : ''
  const firstRounds = insight.firstPass.perType.reduce((n, r) => n + r.decided, 0)

  return (
    <main className="in" aria-labelledby="insight-title">
      <div className="in-top">
        <h1 id="insight-title">Insight</h1>
        <p className="in-based" role="status">
          {basedOn}
          {loading ? ' (reading the rest…)' : ''}
          {failed > 0 ? `; ${failed} could not be read` : ''}.
        </p>
      </div>
      <div className="in-grid">
        <ChartCard
          title="Outputs per state and type"
          summary={`${counts.total} outputs. ${typeRows
            .map(
              (t) =>
                `${t.name}: ${counts.states
                  .filter((s) => counts.counts[t.id]![s] > 0)
                  .map((s) => `${counts.counts[t.id]![s]} ${STATE_LABEL[s].toLowerCase()}`)
                  .join(', ')}`,
            )
            .join('. ')}.`}
          table={{
            columns: ['Type', ...counts.states.map((s) => STATE_LABEL[s]), 'Total'],
            rows: typeRows.map((t) => [
              t.name,
              ...counts.states.map((s) => counts.counts[t.id]![s]),
              counts.perType[t.id] ?? 0,
            ]),
          }}
        >
          <StackedBarChart
            rows={typeRows.map((t) => ({ label: t.name, values: counts.counts[t.id]! }))}
            segments={segments}
          />
        </ChartCard>

        <OverdueList overdue={insight.overdue} onOpen={(outputId) => show({ name: 'output', outputId })} />

        <DurationChart
          title="Cycle time, creation to first publish"
          what="published outputs"
          dist={insight.cycle}
          note={`Median per type; the tick marks the 90th percentile. ${counted(insight.cycle.overall.n, 'published output')}.${coverage}`}
        />
        <DurationChart
          title="Time waiting in review"
          what="review rounds"
          dist={insight.review}
          note={`Submission to approval, changes requested or rejection, per round. ${counted(insight.review.overall.n, 'decided round')}.${coverage}`}
        />
        <RateChart
          title="First-pass approval rate per type"
          rates={insight.firstPass.perType}
          first="Type"
          note={`Approved in the first review round without changes requested. ${counted(firstRounds, 'first round')} decided.${coverage}`}
        />
        <RateChart
          title="First-pass approval rate per source model"
          rates={insight.firstPass.perModel}
          first="Model"
          note={`The model recorded as the output's source. ${counted(firstRounds, 'first round')} decided.${coverage}`}
        />
        <FailingItems insight={insight} note={`"Fail" judgements across all rounds.${coverage}`} />
      </div>
    </main>
  )
}

function DurationChart({
  title,
  what,
  dist,
  note,
}: {
  title: string
  what: string
  dist: PerTypeDistribution
  note: string
}) {
  const rows = dist.perType.filter((p) => p.dist.n > 0)
  return (
    <ChartCard
      title={title}
      note={note}
      summary={
        rows.length === 0
          ? `no ${what} yet.`
          : `${dist.overall.n} ${what}, median ${formatDuration(dist.overall.median)}. ${rows
              .map(
                (p) =>
                  `${p.type.name}: median ${formatDuration(p.dist.median)}, 90th percentile ${formatDuration(p.dist.p90)}`,
              )
              .join('. ')}.`
      }
      table={{
        columns: ['Type', 'Count', 'Median', '90th percentile'],
        rows: rows.map((p) => [
          p.type.name,
          p.dist.n,
          formatDuration(p.dist.median),
          formatDuration(p.dist.p90),
        ]),
      }}
    >
      <BarChart
        bars={rows.map((p) => ({
          label: p.type.name,
          value: p.dist.median ?? 0,
          ...(p.dist.p90 !== undefined ? { marker: p.dist.p90 } : {}),
          display: formatDuration(p.dist.median),
        }))}
      />
    </ChartCard>
  )
}

function RateChart({
  title,
  rates,
  first,
  note,
}: {
  title: string
  rates: Rate[]
  first: string
  note: string
}) {
  const rows = rates.filter((r) => r.decided > 0)
  return (
    <ChartCard
      title={title}
      note={note}
      summary={rowSentences(
        rows,
        'no first review round decided yet.',
        (r) => `${r.label}: ${pct(r)} (${r.passed} of ${r.decided})`,
      )}
      table={{
        columns: [first, 'Passed first time', 'Decided', 'Rate'],
        rows: rows.map((r) => [r.label, r.passed, r.decided, pct(r)]),
      }}
    >
      <BarChart
        max={1}
        colour="#4f9a6a"
        bars={rows.map((r) => ({ label: r.label, value: r.rate ?? 0, display: `${pct(r)} of ${r.decided}` }))}
      />
    </ChartCard>
  )
}

function FailingItems({ insight, note }: { insight: ReturnType<typeof computeInsight>; note: string }) {
  const rows = insight.failing.flatMap((t) => t.items.map((i) => ({ type: t.type.name, ...i })))
  const label = (r: (typeof rows)[number]) => `${r.type}: ${r.title}`
  return (
    <ChartCard
      title="Checklist items that fail most often"
      note={note}
      summary={rowSentences(
        rows,
        'no checklist item has failed yet.',
        (r) =>
          `${label(r)}, ${r.fails} fail${r.fails === 1 ? '' : 's'} on ${r.outputs} output${r.outputs === 1 ? '' : 's'}`,
      )}
      table={{
        columns: ['Item', 'Fails', 'Outputs'],
        rows: rows.map((r) => [label(r), r.fails, r.outputs]),
      }}
    >
      <BarChart
        colour="#d6a24a"
        bars={rows.map((r) => ({ label: label(r), value: r.fails, display: String(r.fails) }))}
      />
    </ChartCard>
  )
}

/** A chart's summary for screen readers: one sentence a row, or what there is none of yet. */
function rowSentences<T>(rows: readonly T[], none: string, sentence: (row: T) => string): string {
  return rows.length === 0 ? none : rows.map(sentence).join('. ')
}

function OverdueList({
  overdue,
  onOpen,
}: {
  overdue: ReturnType<typeof computeInsight>['overdue']
  onOpen: (outputId: string) => void
}) {
  return (
    <section className="in-card" aria-labelledby="insight-overdue">
      <div className="in-card-top">
        <h2 id="insight-overdue">Overdue reviews</h2>
      </div>
      <p className="in-note">In review longer than their type's review time.</p>
      {overdue.length === 0 ? (
        <p className="in-empty">No review is overdue.</p>
      ) : (
        <ul className="in-overdue">
          {overdue.map((o) => (
            <li key={o.outputId}>
              <button type="button" className="link" onClick={() => onOpen(o.outputId)}>
                {o.title}
              </button>
              <span className="in-muted">
                {o.typeName}, overdue by {formatDuration(o.overdueBy)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
