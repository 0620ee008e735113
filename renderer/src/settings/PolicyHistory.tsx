import { destinationLabel } from '../../../shared/domain/destination-names.ts'
import { diffPolicies, shortPolicy } from '../../../shared/domain/policies.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'

const when = (ms: number) => new Date(ms).toLocaleString()

/**
 * Every recorded version of one type's review rules, newest first, each with what changed from
 * the one before. Rounds name the version they follow, so this is how to read an old decision.
 */
export function PolicyHistory({ session, typeId }: { session: WorkspaceSession; typeId: string }) {
  const ws = session.workspace
  // The type is a prop: the same component shows another type's history when another is chosen.
  const history = useObserved(session, () => ws.policyBook().history(typeId), [typeId])
  const current = useObserved(session, () => ws.currentPolicy(typeId), [typeId])
  if (history.length === 0) return null
  const who = (id: string) =>
    id === 'migration' ? 'the upgrade to versioned rules' : (ws.members.get(id)?.name ?? id)
  const rows = history.map((v, i) => ({
    version: v,
    changes:
      i === 0 ? null : diffPolicies(history[i - 1]!.policy, v.policy, (id) => destinationLabel(ws, id)),
  }))
  return (
    <section className="st-history" aria-labelledby={`st-history-${typeId}`}>
      <h3 id={`st-history-${typeId}`}>Version history of the rules</h3>
      <p className="st-note">
        Each saved change of the rules is a new version. A review round keeps the version it was submitted
        under, so changing the rules never changes a decision already made.
      </p>
      <ol className="st-history-list">
        {[...rows].reverse().map(({ version, changes }) => (
          <li key={version.hash} aria-label={`Rules ${shortPolicy(version.hash)}`}>
            <p>
              <code>{shortPolicy(version.hash)}</code> recorded {when(version.at)} by {who(version.by)}
              {version.hash === current ? <strong className="st-current"> (current)</strong> : null}
            </p>
            {changes === null ? (
              <p className="st-note">The first version recorded.</p>
            ) : changes.length === 0 ? (
              <p className="st-note">Same review rules as the version before.</p>
            ) : (
              <ul aria-label={`Changes in ${shortPolicy(version.hash)}`}>
                {changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
