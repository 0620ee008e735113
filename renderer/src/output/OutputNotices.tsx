/**
 * What stands above the content: why it was sent back, what changed since this reviewer's last
 * judgement, the round's rules, the lock on approved content, too few members who may approve
 * it, the approvals an edit would make stale, and why it is read-only.
 */
import { useMemo, useState } from 'react'
import { approverShortfall } from '../../../shared/domain/derive.ts'
import { editVoidsWarning } from '../../../shared/domain/locks.ts'
import { carryOverSentence } from '../../../shared/domain/rounds-since.ts'
import { onHost } from '../data/host-commands.ts'
import { ChangesSince } from './ChangesSince.tsx'
import { runCommand } from './commands.ts'
import { LockBanner } from './LockBanner.tsx'
import type { OutputScope } from './output-scope.ts'
import { RoundRules } from './RoundRules.tsx'
import type { OutputModel } from './use-output-model.ts'

interface Props extends OutputScope {
  model: OutputModel
  docEpoch: number
  /** Note the pending edits before an action, so the trail names the text it was about. */
  flush: () => void
}

export function OutputNotices({ model, docEpoch, flush, ...scope }: Props) {
  const { ws, out, memberId } = scope
  const { view } = model
  // Back for another round: the view opens on what changed since this reviewer's last judgement.
  const [hideSince, setHideSince] = useState(false)
  const since =
    model.since && model.since.contentHash !== model.input.currentHash && !hideSince ? model.since : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: the document's epoch is the change signal
  const sinceTexts = useMemo(
    () => (since ? { before: out.version(since.contentHash), now: out.text() } : null),
    [since?.contentHash, out, docEpoch],
  )
  const showReasons =
    (view.state === 'changes_requested' || view.state === 'rejected') && view.reasons.length > 0
  const locked = model.lock.locked
  const voids = model.canEdit.ok ? editVoidsWarning(model.derived, model.input, memberId) : null
  const shortfall = approverShortfall(model.derived, model.input)
  return (
    <>
      {showReasons && (
        <div role="status" className={`ov-banner ov-banner-${view.state}`}>
          <strong>{view.state === 'rejected' ? 'Rejected:' : 'Changes requested:'}</strong>
          <ul>
            {view.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {since && sinceTexts && (
        <ChangesSince
          before={sinceTexts.before}
          now={sinceTexts.now}
          round={since.round}
          carry={carryOverSentence(model.derived)}
          onClose={() => setHideSince(true)}
        />
      )}
      <RoundRules {...scope} input={model.input} derived={model.derived} beforeAct={flush} />
      {model.canEdit.ok && locked && (
        <LockBanner
          lock={model.lock}
          onUnlock={async () => {
            flush()
            const r = await runCommand('startNewVersion', ws, out, memberId, {})
            if (r.ok)
              requestAnimationFrame(() => document.querySelector<HTMLElement>('main.ov .cm-content')?.focus())
            return r
          }}
          onRestore={() =>
            model.lock.hash
              ? onHost(ws, out, { name: 'restoreVersion', args: { hash: model.lock.hash } })
              : Promise.resolve({ ok: false, reason: 'There is no approved version to go back to.' })
          }
        />
      )}
      {shortfall && (
        <p className="ov-shortfall" role="note">
          {shortfall}
        </p>
      )}
      {voids && (
        <p className="ov-voids" role="note">
          {voids}
        </p>
      )}
      {!model.canEdit.ok && <p className="ov-readonly">Read-only. {model.canEdit.reason}</p>}
    </>
  )
}
