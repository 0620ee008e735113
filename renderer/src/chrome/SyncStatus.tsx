import { useEffect, useMemo } from 'react'
import type { SigningStatus, WorkspaceSession } from '../data/session.ts'
import { useHostHealth } from '../host/health.ts'
import { useAfterFirstPaint } from '../state/after-paint.ts'
import { CalmText } from '../state/calm.ts'
import { useObservedValue } from '../state/observable.ts'

/** Always visible: local only, offline, connecting, synced, and how many changes wait. */
export function describeSync(session: WorkspaceSession): { word: string; detail: string; tone: string } {
  const s = session.status
  const pending = session.pending()
  const waiting = pending > 0 ? `${pending} change${pending === 1 ? '' : 's'} waiting` : ''
  if (s.state === 'local')
    return { word: 'On this device', detail: 'No relay: nothing is shared.', tone: 'local' }
  if (session.workOffline)
    return { word: 'Offline', detail: waiting || 'Working offline by choice.', tone: 'offline' }
  switch (s.state) {
    case 'offline':
      return {
        word: 'Offline',
        detail: waiting || 'Changes are kept here and merge on reconnect.',
        tone: 'offline',
      }
    case 'connecting':
      return { word: 'Connecting…', detail: waiting, tone: 'connecting' }
    case 'synced':
      return { word: pending > 0 ? 'Syncing' : 'Synced', detail: waiting, tone: 'synced' }
  }
}

/**
 * Whether what this window shows is saved: acknowledged durable by the host's log (a change the
 * host has not acknowledged could be lost if the app stopped now). Null without a host.
 */
export function describeSaved(session: WorkspaceSession): { word: string; detail: string } | null {
  const saved = session.saved()
  if (!saved) return null
  if (saved.refused)
    return {
      word: 'Kept on the relay',
      detail: `${saved.refused} Changes are saved once the team’s relay has them (see the sync status).`,
    }
  if (saved.unsaved === 0 && saved.connected)
    return { word: 'Saved', detail: 'Every change is in the app’s log on this computer.' }
  const n = saved.unsaved
  const what = n > 0 ? `${n} change${n === 1 ? '' : 's'}` : 'Changes'
  return saved.connected
    ? { word: 'Saving…', detail: `${what} on the way to the app’s log.` }
    : { word: 'Not saved', detail: `${what} kept in this window until the app’s host answers.` }
}

/** Until the board is drawn: nothing to show yet (as while the device's key loads). */
const NOT_YET_CHECKED: SigningStatus = { state: 'loading', problem: 'Checking this device’s signing key…' }

/** A plain value read from the session, compared by its JSON: a new object that says the same is the same. */
function useShown<T>(session: WorkspaceSession, read: () => T, deps: readonly unknown[] = []): T {
  const json = useObservedValue(session, () => JSON.stringify(read()), deps)
  return useMemo(() => JSON.parse(json) as T, [json])
}

/** The session's text without the flicker of each keystroke's round trip (state/calm.ts). */
function useCalm(session: WorkspaceSession, read: () => string, passing: (text: string) => boolean): string {
  // biome-ignore lint/correctness/useExhaustiveDependencies: one per session; `read` reads only it
  const calm = useMemo(() => new CalmText(read, passing), [session])
  useEffect(() => {
    const off = session.subscribe(calm.update)
    calm.update()
    return () => {
      off()
      calm.destroy()
    }
  }, [session, calm])
  return useObservedValue(calm, () => calm.shown)
}

export function SyncStatus({ session }: { session: WorkspaceSession }) {
  // The session changes twice per keystroke (a change pending, then saved). "Syncing" and
  // "Saving…" show once they last (a slow relay, a busy host), not for every key's few ms.
  const [word, detail, tone] = useCalm(
    session,
    () => {
      const d = describeSync(session)
      return `${d.word}|${d.detail}|${d.tone}`
    },
    (text) => text.startsWith('Syncing|'),
  ).split('|')
  const synced = { word: word ?? '', detail: detail ?? '', tone: tone ?? '' }
  const saved = useCalm(
    session,
    () => {
      const d = describeSaved(session)
      return d ? `${d.word}|${d.detail}` : ''
    },
    (text) => text.startsWith('Saving…|'),
  )
  const [savedWord, savedDetail] = saved.split('|')
  // Without its host the app is not synced, whatever the relay says: nothing reaches the disk
  // folder, intake or publishing until it is back.
  const host = useHostHealth()
  const info = host.lost
    ? { word: 'Host lost', detail: 'Not saved outside this tab.', tone: 'offline' }
    : synced
  const error = useObservedValue(session, () => session.status.error ?? null)
  const offline = useObservedValue(session, () => session.workOffline)
  const hasRelay = Boolean(session.entry.relayUrl)
  // Whether this device's key counts takes every registered key's signature check (tens of ms in
  // a large workspace): asked once the first frame is drawn.
  const drawn = useAfterFirstPaint()
  const signing = useShown(session, () => (drawn ? session.signing : NOT_YET_CHECKED), [drawn])
  const signingProblem = signing.state !== 'loading' ? (signing.notice ?? signing.problem) : undefined
  return (
    <div className="sync">
      {signingProblem && (
        <span className="sync-signing" role="alert" title={signingProblem}>
          Not signing: {signingProblem}
        </span>
      )}
      {signing.state === 'unavailable' && (
        // The host never replaces a key it cannot open: the person decides.
        <span className="sync-signing-actions">
          <button type="button" onClick={() => session.retrySigning()}>
            Try again
          </button>
          <button
            type="button"
            onClick={() => {
              if (
                window.confirm(
                  'Make a new signing key for this device? The old key file is kept. Until another of your devices or an admin confirms the new key, your decisions here do not count.',
                )
              )
                session.replaceSigningKey()
            }}
          >
            Make a new signing key…
          </button>
        </span>
      )}
      <span
        className={`sync-state sync-${info.tone}`}
        role="status"
        aria-label="Sync status"
        title={error ?? info.detail}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-word">{info.word}</span>
        {info.detail && <span className="sync-detail">{info.detail}</span>}
      </span>
      {savedWord && (
        <span className="sync-saved" role="status" aria-label="Saved state" title={savedDetail}>
          {savedWord}
        </span>
      )}
      {hasRelay && (
        <label className="check switch">
          <input
            type="checkbox"
            checked={offline}
            onChange={(e) => session.setWorkOffline(e.target.checked)}
          />
          Work offline
        </label>
      )}
    </div>
  )
}
