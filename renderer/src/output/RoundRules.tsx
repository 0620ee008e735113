import { useEffect, useId, useRef, useState } from 'react'
import { type PolicyVersion, shortPolicy } from '../../../shared/domain/policies.ts'
import { newRoundCheck, policyChange } from '../../../shared/domain/policy-actions.ts'
import { onHost } from '../data/host-commands.ts'
import { when } from '../trace/download.ts'
import { useUi } from '../ui/store.ts'
import type { DerivedScope } from './output-scope.ts'

interface Props extends DerivedScope {
  /** Note pending edits in the trail before the round restarts. */
  beforeAct: () => void
}

/**
 * Which review rules the current round follows, and when the type's rules changed since it was
 * submitted: what changed, and (for admins) a way to start the round over under the new rules.
 * Nothing about a round changes until somebody decides so.
 */
export function RoundRules(props: Props) {
  const { ws, out, derived } = props
  const policy = derived.policy
  const typeId = out.readMeta().typeId
  const change = policyChange(ws, derived, typeId)
  if (!policy) return null
  return (
    <section className={change ? 'ov-banner ov-banner-rules' : 'ov-rules'} aria-label="Review rules">
      {change ? (
        <>
          <strong>The rules for this type changed since it was submitted.</strong>
          <p>
            This round keeps the rules it was submitted under (rules{' '}
            <code>{shortPolicy(change.from.hash)}</code>
            ). The rules now (<code>{shortPolicy(change.to)}</code>) differ:
          </p>
          <ul aria-label="What changed">
            {change.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <NewRound {...props} />
        </>
      ) : (
        <p>
          Round {derived.round} follows rules{' '}
          {policy.hash ? <code>{shortPolicy(policy.hash)}</code> : 'from before versions were kept'}
          {policy.version ? savedBy(ws, policy.version) : ''}
          {policy.note ? `. ${policy.note}` : '.'}
        </p>
      )}
    </section>
  )
}

/** Whose rules they are, in words: the type they were for, who saved them and when. */
function savedBy(ws: Props['ws'], version: PolicyVersion): string {
  const who = ws.members.get(version.by)?.name ?? 'a former member'
  return ` for ${version.name}, saved by ${who} on ${when(version.at)}`
}

function NewRound({ ws, out, memberId, input, derived, beforeAct }: Props) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const notify = useUi((s) => s.notify)
  const id = useId()
  // Cancelled (Escape or Cancel): the focus goes back to the button that opened the form.
  const opener = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus()
    wasOpen.current = open
  }, [open])
  const allowed = newRoundCheck(ws, input, derived, memberId)
  if (derived.phase !== 'in_review')
    return <p className="ov-why">The next submission follows the new rules.</p>
  if (!allowed.ok)
    return (
      <p className="ov-why">
        {ws.members.get(memberId)?.roles.includes('admin')
          ? allowed.reason
          : 'An admin can start a new round under the new rules.'}
      </p>
    )
  if (!open)
    return (
      <button type="button" ref={opener} onClick={() => setOpen(true)}>
        Start a new round under the new rules…
      </button>
    )
  const approvals = derived.approvals.length
  return (
    <form
      className="ov-new-round"
      onKeyDown={(e) => {
        // Escape cancels the form, as it cancels a rename or a comment, instead of leaving.
        if (e.key !== 'Escape') return
        e.preventDefault()
        setOpen(false)
      }}
      onSubmit={async (e) => {
        e.preventDefault()
        beforeAct()
        const r = await onHost(ws, out, { name: 'startNewRound', args: { reason } })
        if (!r.ok) {
          setError(r.reason)
          return
        }
        setOpen(false)
        setReason('')
        notify('info', 'A new round started under the current rules.')
      }}
    >
      <p>
        Round {derived.round + 1} starts now: the judgements
        {approvals > 0 ? ` and ${approvals} approval${approvals === 1 ? '' : 's'}` : ''} of round{' '}
        {derived.round} stay in the history and no longer count.
      </p>
      <label htmlFor={id}>Why start over?</label>
      <input
        id={id}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the form opens on request; typing the reason is the next step
        autoFocus
        aria-invalid={error ? true : undefined}
      />
      {error && (
        <p role="alert" className="ov-error">
          {error}
        </p>
      )}
      <div className="ov-new-round-actions">
        <button type="submit" className="ov-primary">
          Start round {derived.round + 1}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
