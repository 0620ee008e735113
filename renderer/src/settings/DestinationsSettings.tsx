import { useEffect, useId, useState } from 'react'
import {
  addDestination,
  allowDestination,
  removeDestination,
} from '../../../shared/domain/destination-actions.ts'
import { destinationLabel } from '../../../shared/domain/destination-names.ts'
import type { Destination } from '../../../shared/domain/types.ts'
import type { SecretStorageStatus } from '../../../shared/host/publishing.ts'
import { DESTINATION_KINDS, type DestinationKind, kindSpec } from '../../../shared/publish/kinds/index.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost } from '../host.ts'
import { localDestinations } from '../publish/local.ts'
import { useObserved } from '../state/observable.ts'
import { DestinationCard } from './DestinationCard.tsx'
import { StatusMessage, TableHead, useMessage } from './kit.tsx'
import { canManage } from './members.ts'
import { SettingsForm } from './SettingsForm.tsx'

/**
 * Destinations: the shared part (name, kind, which output types may go there) lives in the
 * workspace document and is edited by admins; the machine-local part (folder paths,
 * credentials) is set by each member on their own machine and kept by the host.
 */
export function DestinationsSettings({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const destinations = useObserved(session, () =>
    ws.destinations.all().sort((a, b) => a.name.localeCompare(b.name)),
  )
  const types = useObserved(session, () => ws.types.all().sort((a, b) => a.name.localeCompare(b.name)))
  const members = useObserved(session, () => ws.members.all())
  const manage = canManage(members, session.memberId)
  const local = localDestinations(session.entry.id)
  useObserved(local, () => local.all)
  const { message, setMessage } = useMessage()
  const [status, setStatus] = useState<SecretStorageStatus | null>(null)
  const [name, setName] = useState('')
  const [kind, setKind] = useState<DestinationKind>('folder')
  const nameId = useId()
  const kindId = useId()

  useEffect(() => {
    void local.refresh()
    getHost()
      ?.secretStorageStatus(undefined)
      .then(setStatus, () => {})
  }, [local])

  const add = () => {
    const added = addDestination(ws, session.memberId, name, kind)
    if (!added.ok) {
      setMessage({ kind: 'error', text: added.reason })
      return
    }
    setName('')
    setMessage({
      kind: 'ok',
      text: `Added the destination “${added.destination.name}”. Set it up on this machine below.`,
    })
  }

  /** The shared destination goes, and with it this machine's settings for it (paths, credentials). */
  const remove = async (d: Destination) => {
    const removed = removeDestination(ws, session.memberId, d.id)
    if (!removed.ok) return setMessage({ kind: 'error', text: removed.reason })
    if (!local.configured(d.id)) return setMessage({ kind: 'ok', text: `Removed “${d.name}”.` })
    try {
      await getHost()?.deleteDestinationSettings({ workspaceId: session.entry.id, destinationId: d.id })
      await local.refresh()
      setMessage({ kind: 'ok', text: `Removed “${d.name}” and this machine’s settings for it.` })
    } catch (e) {
      setMessage({
        kind: 'error',
        text: `Removed “${d.name}”, but this machine’s settings for it could not be deleted: ${e instanceof Error ? e.message : String(e)}`,
      })
    }
  }

  const toggleAllowed = (typeId: string, destinationId: string, allowed: boolean) => {
    const changed = allowDestination(ws, session.memberId, typeId, destinationId, allowed)
    if (!changed.ok) setMessage({ kind: 'error', text: changed.reason })
  }

  return (
    <div className="st-destinations">
      <h2>Destinations</h2>
      <p className="st-note">
        Where approved outputs go. Names, kinds and which output types may go where are shared with the
        workspace; folder paths and credentials stay on each member’s machine.
      </p>
      {status && (
        <p className="st-note" data-testid="secret-storage">
          Secret storage: {status.mode === 'os-keychain' ? 'system keychain' : 'local key file'}.{' '}
          {status.description}
        </p>
      )}
      {!manage.ok && <p className="st-note">{manage.reason}</p>}
      <StatusMessage message={message} />

      {manage.ok && (
        // A form: Enter in the name adds the destination, as in every other "add" of Settings.
        <SettingsForm onSubmit={add}>
          <fieldset className="st-group st-add">
            <legend>New destination</legend>
            <div className="st-row">
              <label className="st-field" htmlFor={nameId}>
                Destination name
                <input id={nameId} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
              </label>
              <label className="st-field" htmlFor={kindId}>
                Kind
                <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as DestinationKind)}>
                  {DESTINATION_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {kindSpec(k).label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <button type="submit" className="st-primary">
              Add destination
            </button>
          </fieldset>
        </SettingsForm>
      )}

      {destinations.length === 0 ? (
        <p className="st-note">No destinations yet.</p>
      ) : (
        <>
          <table className="st-table">
            <caption className="st-note" style={{ textAlign: 'left' }}>
              Which output types may be published where
            </caption>
            <TableHead columns={['Output type', ...destinations.map((d) => d.name)]} />
            <tbody>
              {types.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  {destinations.map((d) => (
                    <td key={d.id}>
                      <input
                        type="checkbox"
                        aria-label={`${t.name} may go to ${d.name}`}
                        checked={t.allowedDestinations.includes(d.id)}
                        disabled={!manage.ok}
                        onChange={(e) => toggleAllowed(t.id, d.id, e.target.checked)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {destinations.map((d) => (
            <DestinationCard
              key={d.id}
              session={session}
              destination={d}
              local={local}
              manage={manage.ok}
              onRemove={() => void remove(d)}
            />
          ))}
        </>
      )}
      <LeftoverSettings session={session} />
    </div>
  )
}

/**
 * Settings this machine still keeps for destinations no longer in the workspace (removed on
 * another member's machine): paths and credentials nothing here will use. The person deletes
 * them; nothing deletes secrets on its own because of a change any member could write.
 */
function LeftoverSettings({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const local = localDestinations(session.entry.id)
  const all = useObserved(local, () => local.all)
  const live = useObserved(session, () => new Set(ws.destinations.all().map((d) => d.id)))
  const { message, attempt } = useMessage()
  const id = useId()
  const leftover = all.filter((d) => !live.has(d.destinationId))
  if (leftover.length === 0 && !message) return null
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Settings kept for removed destinations</h3>
      {leftover.length > 0 && (
        <>
          <p className="st-note">
            This machine still keeps settings (folders, addresses, credentials) for destinations removed from
            the workspace. Nothing uses them now.
          </p>
          <ul>
            {leftover.map((d) => {
              const name = destinationLabel(ws, d.destinationId)
              return (
                <li key={d.destinationId}>
                  {name} · {kindSpec(d.kind).label}{' '}
                  <button
                    type="button"
                    onClick={() =>
                      void attempt(async () => {
                        await getHost()?.deleteDestinationSettings({
                          workspaceId: session.entry.id,
                          destinationId: d.destinationId,
                        })
                        await local.refresh()
                        return `Deleted this machine’s settings for ${name}.`
                      })
                    }
                  >
                    Delete settings for {name}
                  </button>
                </li>
              )
            })}
          </ul>
        </>
      )}
      <StatusMessage message={message} />
    </section>
  )
}
