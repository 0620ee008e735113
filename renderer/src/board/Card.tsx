import { type DragEvent, type KeyboardEvent, memo, type ReactNode } from 'react'
import type { OutputSummary, OutputType } from '../../../shared/domain/types.ts'
import { Avatar } from '../chrome/Avatar.tsx'
import type { Peer } from '../chrome/presence.ts'
import { CardRouting } from '../routing/CardRouting.tsx'
import { stripBidi } from '../ui/bidi.ts'
import { RISK_WORD, STATE_LABEL } from '../ui/labels.ts'
import { ageInfo } from './age.ts'
import { RiskPill } from './RiskPill.tsx'

/** What the board does when a card is opened, asked for its menu, keyed or dragged: the same for every card. */
export interface CardActions {
  onOpen: (id: string) => void
  onMenu: (id: string) => void
  onKey: (e: KeyboardEvent<HTMLElement>, summary: OutputSummary, index: number) => void
  onDragStart: (e: DragEvent<HTMLElement>, summary: OutputSummary) => void
  onDragEnd: () => void
}

export interface CardProps {
  summary: OutputSummary
  index: number
  type: OutputType | undefined
  /** Who the card is about: the first assignee, else the author. */
  personName: string
  personId: string
  viewers: readonly Peer[]
  /** Why the last move from the board was refused, shown on the card. */
  note: string | undefined
  pending: boolean
  now: number
  actions: CardActions
  /** Publishing status for the card (published to, failure with Retry, schedule, drift). */
  extra?: ReactNode
}

function CardView(p: CardProps) {
  const s = p.summary
  const act = p.actions
  const risk = p.type?.risk
  const age = ageInfo(s, p.type, p.now)
  const titleId = `card-title-${s.id}`
  const descId = `card-desc-${s.id}`
  const stale = s.state === 'approved_stale'
  return (
    <article
      className={`card${p.pending ? ' card-pending' : ''}${age.overdue ? ' card-overdue' : ''}`}
      data-index={p.index}
      data-output-id={s.id}
      draggable
      aria-labelledby={titleId}
      aria-busy={p.pending || undefined}
      onDragStart={(e) => act.onDragStart(e, s)}
      onDragEnd={act.onDragEnd}
      onDoubleClick={() => act.onOpen(s.id)}
    >
      <div className="card-top">
        <RiskPill risk={risk} />
        <span className="card-type">{p.type?.name ?? s.typeId}</span>
        {p.viewers.length > 0 && (
          <span className="card-viewers">
            {p.viewers.slice(0, 3).map((v) => (
              <Avatar
                key={v.clientId}
                name={v.user.name}
                memberId={v.user.memberId}
                label={`${v.user.name} is looking at this`}
              />
            ))}
          </span>
        )}
      </div>
      <h3 className="card-title" id={titleId}>
        <button
          type="button"
          title={s.title}
          className="card-open"
          aria-describedby={descId}
          onClick={() => act.onOpen(s.id)}
          onKeyDown={(e) => act.onKey(e, s, p.index)}
          aria-keyshortcuts="M Alt+ArrowLeft Alt+ArrowRight"
        >
          {s.title}
        </button>
      </h3>
      {s.tags.length > 0 && (
        <p className="card-tags" title={s.tags.map((t) => `#${t}`).join(' ')}>
          {s.tags.slice(0, 5).map((t) => (
            <span key={t} className="tag">
              #{stripBidi(t)}
            </span>
          ))}
          {s.tags.length > 5 && <span className="tag">+{s.tags.length - 5}</span>}
        </p>
      )}
      <div className="card-meta" id={descId}>
        <span className="visually-hidden">
          {STATE_LABEL[s.state]}, {risk ? `${RISK_WORD[risk]} risk` : 'unknown type'},{' '}
          {age.overdue ? 'overdue, ' : ''}
          {age.due ? `${age.due}, ` : ''}
          {age.label}.{' '}
        </span>
        <span title="Checklist items judged on this version">
          Checklist {s.checklistDone}/{s.checklistTotal}
          {s.checklistFailed > 0 && <strong className="failed"> · {s.checklistFailed} failed</strong>}
        </span>
        <span title="Approvals counted on this version">
          · {s.approvals} of {s.approvalsRequired} approvals
        </span>
      </div>
      <div className="card-bottom">
        <span className="card-person" title={stripBidi(p.personName)}>
          <Avatar name={p.personName} memberId={p.personId} />{' '}
          <span className="card-person-name">{stripBidi(p.personName)}</span>
        </span>
        <span
          className={`age${age.overdue ? ' overdue' : age.dueSoon ? ' due-soon' : ''}`}
          title={[age.overdue && 'Overdue', age.dueSoon && 'Due soon', age.due, age.label]
            .filter(Boolean)
            .join(' · ')}
        >
          {age.overdue && <strong>Overdue · </strong>}
          {age.dueSoon && 'Due soon · '}
          {age.due ? `${age.due} · ` : ''}
          {age.label}
        </span>
        {stale && <strong className="stale">Approved, stale</strong>}
        {p.pending && <span className="moving">Moving…</span>}
        <button
          type="button"
          className="card-move"
          aria-label={`Move ${s.title}…`}
          onClick={() => act.onMenu(s.id)}
        >
          Move…
        </button>
      </div>
      <CardRouting summary={s} type={p.type} now={p.now} />
      {s.corrected && (
        <p
          className="card-corrected"
          data-testid="card-corrected"
          title={`Corrected ${new Date(s.corrected.at).toLocaleString()}`}
        >
          Corrected from its trail: the board said {STATE_LABEL[s.corrected.claimed]}.
        </p>
      )}
      {p.extra}
      {p.note ? (
        <p className="card-note" role="note" title={p.note}>
          Not moved: {p.note}
        </p>
      ) : s.reasons.length > 0 && (s.state === 'changes_requested' || s.state === 'rejected') ? (
        <p className="card-reasons" title={s.reasons.join('\n')}>
          {s.reasons.join(' · ')}
        </p>
      ) : null}
    </article>
  )
}

export const Card = memo(CardView)
