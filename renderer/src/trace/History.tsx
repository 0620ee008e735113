import { destinationLabels } from '../../../shared/domain/destination-names.ts'
import './trace.css'
import { useMemo, useState } from 'react'
import { commentsOf, deriveThreads } from '../../../shared/domain/comments.ts'
import type { Derived } from '../../../shared/domain/derive.ts'
import { shortHash } from '../../../shared/domain/hash.ts'
import { contentLock, newVersionWarning } from '../../../shared/domain/locks.ts'
import { shortPolicy } from '../../../shared/domain/policies.ts'
import { commentLines, commentsByRound } from '../../../shared/trace/comment-trail.ts'
import { wordDiff } from '../../../shared/trace/diff.ts'
import { approvalReceipt, receiptSource, receiptVersion } from '../../../shared/trace/receipt.ts'
import { type TimelineEntry, timeline } from '../../../shared/trace/timeline.ts'
import { Modal } from '../chrome/Modal.tsx'
import { onHost } from '../data/host-commands.ts'
import type { DerivedScope } from '../output/output-scope.ts'
import { stripBidi } from '../ui/bidi.ts'
import { useUi } from '../ui/store.ts'
import { CommentsByRound } from './CommentsByRound.tsx'
import { DiffText } from './DiffText.tsx'
import { download, slug, when } from './download.ts'

const NOW = 'now'

interface Props extends DerivedScope {
  /** Note pending edits in the trail: as the history opens (so it lists them) and before a restore. */
  noteEdits: () => void
}

/** The "History" button of an output and the dialog it opens. */
export function HistoryButton(props: Props) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          // Edits of the last seconds are noted now rather than when typing settles, so the
          // history opens with them.
          props.noteEdits()
          setOpen(true)
        }}
      >
        History
      </button>
      {open && (
        <Modal title={`History of “${props.out.readMeta().title}”`} onClose={() => setOpen(false)} wide>
          <HistoryPanel {...props} onClose={() => setOpen(false)} />
        </Modal>
      )}
    </>
  )
}

type Mode =
  | { kind: 'list' }
  | { kind: 'view'; hash: string }
  | { kind: 'compare'; left: string; right: string }

/** The latest version a counted approval named. */
function approvedHash(derived: Derived): string | undefined {
  if (derived.approvals.length > 0) return derived.approvals[0]!.contentHash
  for (let i = derived.events.length - 1; i >= 0; i--) {
    const e = derived.events[i]!
    if (e.kind === 'approved' || e.kind === 'auto_approved') return e.contentHash
  }
  return undefined
}

function shippedHash(derived: Derived): string | undefined {
  const shipped = derived.publishes.filter((p) => p.status === 'published')
  return shipped[shipped.length - 1]?.contentHash
}

function HistoryPanel({ ws, out, input, derived, noteEdits, onClose }: Props & { onClose: () => void }) {
  const [mode, setMode] = useState<Mode>({ kind: 'list' })
  const notify = useUi((s) => s.notify)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new derivation may follow a destination rename
  const destinations = useMemo(() => destinationLabels(ws), [ws, derived])
  const entries = useMemo(
    () => timeline(derived, input.members, input.type, { destinations, trail: out.rawTrail() }),
    [derived, input, destinations, out],
  )
  const comments = useMemo(() => {
    const raw = commentsOf(out)
    const rawAt = (i: number) => raw.get(i) as { actor?: unknown; at?: unknown } | undefined
    return commentsByRound(commentLines(deriveThreads(ws, out), input.members, derived.rounds, rawAt))
  }, [ws, out, derived, input])
  const current = input.currentHash
  const text = (hash: string) => (hash === NOW || hash === current ? out.text() : out.version(hash))
  const label = (hash: string) => (hash === NOW ? 'now (the editor)' : `version ${shortHash(hash)}`)
  const approved = approvedHash(derived)
  const shipped = shippedHash(derived)
  const versions = useMemo(() => {
    const seen = new Set<string>()
    for (const e of entries) if (e.hash && e.counted && out.version(e.hash) !== undefined) seen.add(e.hash)
    return [...seen]
  }, [entries, out])

  // Approved (or published) content is locked: restoring another version starts a new version.
  const lock = contentLock(derived, input)
  const restore = async (hash: string) => {
    noteEdits()
    const newVersion = lock.locked && lock.hash !== hash
    const r = await onHost(ws, out, {
      name: 'restoreVersion',
      args: { hash, ...(newVersion ? { newVersion } : {}) },
    })
    if (r.ok) {
      notify('info', `Restored version ${shortHash(hash)} as a new edit.`)
      setMode({ kind: 'list' })
    } else notify('error', r.reason)
    return r
  }

  const receipt = () => {
    const meta = out.readMeta()
    const r = approvalReceipt(receiptSource(ws, out, input.type, derived), input.members, destinations)
    if (typeof r === 'string') notify('error', r)
    else
      download(
        `${slug(meta.title)}-receipt-${shortHash(r.versionHash)}.json`,
        JSON.stringify(r, null, 2),
        'application/json',
      )
  }

  return (
    <div className="tr">
      <div className="tr-quick">
        <button
          type="button"
          disabled={!approved || !shipped}
          onClick={() => approved && shipped && setMode({ kind: 'compare', left: approved, right: shipped })}
        >
          Approved vs shipped
        </button>
        <button
          type="button"
          disabled={!approved}
          onClick={() => approved && setMode({ kind: 'compare', left: approved, right: NOW })}
        >
          Approved vs now
        </button>
        {receiptVersion(derived) && (
          <button type="button" onClick={receipt}>
            Approval receipt (JSON)
          </button>
        )}
        {mode.kind !== 'list' && (
          <button type="button" onClick={() => setMode({ kind: 'list' })}>
            Back to the timeline
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {mode.kind === 'list' && derived.rounds.length > 0 && <Rounds derived={derived} />}
      {mode.kind === 'list' && <CommentsByRound rounds={comments} />}
      {mode.kind === 'list' && (
        <Timeline
          entries={entries}
          canView={(h) => text(h) !== undefined}
          onView={(hash) => setMode({ kind: 'view', hash })}
          onCompare={(hash) => setMode({ kind: 'compare', left: hash, right: NOW })}
        />
      )}
      {mode.kind === 'view' && (
        <VersionViewer
          hash={mode.hash}
          text={text(mode.hash)}
          isCurrent={mode.hash === current}
          warning={lock.locked && lock.hash !== mode.hash ? newVersionWarning(lock) : undefined}
          onRestore={() => restore(mode.hash)}
        />
      )}
      {mode.kind === 'compare' && (
        <Compare
          left={mode.left}
          right={mode.right}
          versions={versions}
          label={label}
          text={text}
          same={(a, b) => (a === NOW ? current : a) === (b === NOW ? current : b)}
          onChange={(left, right) => setMode({ kind: 'compare', left, right })}
        />
      )}
    </div>
  )
}

/** Each review round and the version of the rules it was judged by. */
function Rounds({ derived }: { derived: Derived }) {
  return (
    <section aria-label="Rounds and their rules" className="tr-rounds">
      <h3>Rounds</h3>
      <ol>
        {derived.rounds.map((r) => (
          <li key={r.eventId}>
            Round {r.round}, {when(r.at)}: rules{' '}
            {r.hash ? <code>{shortPolicy(r.hash)}</code> : 'from before versions were kept'}
            {r.version
              ? ` (${r.version.policy.risk} risk, ${r.version.policy.approvalsRequired} approval${r.version.policy.approvalsRequired === 1 ? '' : 's'}, ${r.version.policy.checklist.length} checklist items)`
              : ''}
            {r.note ? ` — ${r.note}` : ''}
          </li>
        ))}
      </ol>
    </section>
  )
}

function Timeline({
  entries,
  canView,
  onView,
  onCompare,
}: {
  entries: readonly TimelineEntry[]
  canView: (hash: string) => boolean
  onView: (hash: string) => void
  onCompare: (hash: string) => void
}) {
  return (
    <ol className="tr-timeline" aria-label="Timeline">
      {[...entries].reverse().map((e) => (
        <li key={`${e.index}-${e.id}`} className={e.counted ? 'tr-entry' : 'tr-entry tr-problem'}>
          <time dateTime={e.when > 0 ? new Date(e.when).toISOString() : undefined}>{when(e.when)}</time>
          <span>
            <span className="tr-kind">{e.kind.replace(/_/g, ' ')}</span>
            {e.unverified && <strong className="tr-unverified">Unverified</strong>}
            {stripBidi(e.text)}
            {e.receipt && <span className="tr-receipt"> {JSON.stringify(e.receipt)}</span>}
          </span>
          {e.hash && e.counted && canView(e.hash) ? (
            <span className="tr-actions">
              <button type="button" aria-label={`View version ${e.version}`} onClick={() => onView(e.hash!)}>
                View
              </button>
              <button
                type="button"
                aria-label={`Compare version ${e.version}…`}
                onClick={() => onCompare(e.hash!)}
              >
                Compare…
              </button>
            </span>
          ) : (
            <span />
          )}
        </li>
      ))}
    </ol>
  )
}

function VersionViewer({
  hash,
  text,
  isCurrent,
  warning,
  onRestore,
}: {
  hash: string
  text: string | undefined
  isCurrent: boolean
  /** Restoring it voids approvals (the content is locked): the sentence that says whose. */
  warning: string | undefined
  onRestore: () => Promise<{ ok: boolean }>
}) {
  const [confirming, setConfirming] = useState(false)
  if (text === undefined)
    return <p role="status">The bytes of version {shortHash(hash)} are not kept on this device.</p>
  return (
    <section aria-label={`Version ${shortHash(hash)}`}>
      <h3>
        Version {shortHash(hash)} {isCurrent ? '(what is in the editor now)' : '(read-only)'}
      </h3>
      <pre className="tr-text">{text}</pre>
      {!isCurrent &&
        (confirming ? (
          <section aria-label="Confirm restore">
            Restore version {shortHash(hash)}? The content becomes these bytes again as a new edit; nothing in
            the history is removed.{' '}
            {warning && (
              <strong role="alert" className="tr-warning">
                {warning}{' '}
              </strong>
            )}
            <button
              type="button"
              className="danger"
              onClick={() => void onRestore().then((r) => r.ok || setConfirming(false))}
            >
              Yes, restore version {shortHash(hash)}
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </section>
        ) : (
          <button type="button" className="primary" onClick={() => setConfirming(true)}>
            Restore this version…
          </button>
        ))}
    </section>
  )
}

function Compare({
  left,
  right,
  versions,
  label,
  text,
  same,
  onChange,
}: {
  left: string
  right: string
  versions: readonly string[]
  label: (hash: string) => string
  text: (hash: string) => string | undefined
  same: (a: string, b: string) => boolean
  onChange: (left: string, right: string) => void
}) {
  const a = text(left)
  const b = text(right)
  const diff = useMemo(() => (a !== undefined && b !== undefined ? wordDiff(a, b) : null), [a, b])
  const options = [...new Set([...versions, left, right].filter((h) => h !== NOW)), NOW]
  const pick = (value: string, onPick: (v: string) => void, name: string) => (
    <label>
      {name}{' '}
      <select value={value} onChange={(e) => onPick(e.target.value)}>
        {options.map((h) => (
          <option key={h} value={h}>
            {label(h)}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <section aria-label="Compare versions">
      <div className="tr-quick">
        {pick(left, (v) => onChange(v, right), 'Before')}
        {pick(right, (v) => onChange(left, v), 'After')}
      </div>
      {!diff ? (
        <p role="status">The bytes of one of these versions are not kept on this device.</p>
      ) : (
        <>
          <p className={same(left, right) ? 'tr-same' : 'tr-differ'} role="status">
            {same(left, right)
              ? `Identical: ${label(left)} and ${label(right)} are the same bytes.`
              : `Different: ${diff.removed} word${diff.removed === 1 ? '' : 's'} removed, ${diff.added} added${diff.approximate ? ' (too different to compare word by word; shown as one replacement)' : ''}. Removed words are struck through and marked −, added words underlined and marked +.`}
          </p>
          <div className="tr-compare">
            <div>
              <h3>Before: {label(left)}</h3>
              <DiffText segments={diff.segments} side="before" label={`Before: ${label(left)}`} />
            </div>
            <div>
              <h3>After: {label(right)}</h3>
              <DiffText segments={diff.segments} side="after" label={`After: ${label(right)}`} />
            </div>
          </div>
        </>
      )}
    </section>
  )
}
