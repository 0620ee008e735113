/** One destination in Settings: its shared name (admins) and this machine's settings for it. */
import { useEffect, useId, useState } from 'react'
import { renameDestination } from '../../../shared/domain/destination-actions.ts'
import type { Destination } from '../../../shared/domain/types.ts'
import { type FormValues, secretIsSet, toConfig, toFormValues } from '../../../shared/publish/kinds/form.ts'
import { kindSpec } from '../../../shared/publish/kinds/index.ts'
import { useFormAction } from '../chrome/form.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost } from '../host.ts'
import type { LocalDestinations } from '../publish/local.ts'
import { DestinationFields } from './DestinationFields.tsx'
import { StatusMessage, useMessage } from './kit.tsx'

interface CardProps {
  session: WorkspaceSession
  destination: Destination
  local: LocalDestinations
  manage: boolean
  onRemove: () => void
}

export function DestinationCard({ session, destination: d, local, manage, onRemove }: CardProps) {
  const spec = kindSpec(d.kind)
  return (
    <section className="st-group" aria-label={`Destination ${d.name}`} style={{ marginTop: 12 }}>
      <h3 style={{ margin: 0, fontSize: '1rem' }}>
        {d.name} <span className="st-note">· {spec.label}</span>
      </h3>
      <p className="st-note">
        {local.settings(d.id) ? 'Set up on this machine.' : 'Not set up on this machine yet.'}
      </p>
      {manage && <RenameRow session={session} destination={d} onRemove={onRemove} />}
      <LocalSettings session={session} destination={d} local={local} />
    </section>
  )
}

function RenameRow({
  session,
  destination: d,
  onRemove,
}: Pick<CardProps, 'session' | 'destination' | 'onRemove'>) {
  const [rename, setRename] = useState(d.name)
  const id = useId()
  return (
    <div className="st-row">
      <label className="st-field" htmlFor={id}>
        Name
        <input id={id} value={rename} maxLength={120} onChange={(e) => setRename(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={!rename.trim() || rename.trim() === d.name}
        onClick={() => renameDestination(session.workspace, session.memberId, d.id, rename)}
      >
        Rename
      </button>
      <button type="button" onClick={onRemove}>
        Remove destination
      </button>
    </div>
  )
}

function LocalSettings({
  session,
  destination: d,
  local,
}: Pick<CardProps, 'session' | 'destination' | 'local'>) {
  const spec = kindSpec(d.kind)
  const saved = local.settings(d.id)
  const [values, setValues] = useState<FormValues>(() => toFormValues(d.kind, saved?.config))
  const { message, setMessage, attempt } = useMessage()
  // Busy while the host saves or tests; outcomes (success too) are the tab's status message.
  const { busy, run } = useFormAction()
  const testNoteId = useId()
  // The saved settings arrive after the first render: fill the form once they do.
  const savedKey = JSON.stringify(saved?.config ?? null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: refill when the stored settings change
  useEffect(() => setValues(toFormValues(d.kind, saved?.config)), [savedKey, d.kind])

  const set = (k: string, v: string | boolean) => setValues((f) => ({ ...f, [k]: v }))
  const ids = { workspaceId: session.entry.id, destinationId: d.id }
  const withHost = async (
    missing: string,
    action: (host: NonNullable<ReturnType<typeof getHost>>) => Promise<void>,
  ) => {
    const host = getHost()
    if (!host) return setMessage({ kind: 'error', text: missing })
    await run(() => attempt(() => action(host).then(() => undefined)))
  }

  const save = () =>
    withHost('There is no host to keep local settings in.', async (host) => {
      await host.saveDestinationSettings({ ...ids, config: toConfig(d.kind, values) })
      await local.refresh()
      setMessage({ kind: 'ok', text: `Saved the settings for “${d.name}” on this machine.` })
    })
  const test = () =>
    withHost('There is no host to test the settings on.', async (host) => {
      const r = await host.testDestinationSettings({ ...ids, config: toConfig(d.kind, values) })
      setMessage({ kind: r.ok ? 'ok' : 'error', text: r.message })
    })
  const forget = () =>
    attempt(async () => {
      await getHost()?.deleteDestinationSettings(ids)
      await local.refresh()
      return `Removed this machine’s settings for “${d.name}”.`
    })
  const generate = () =>
    attempt(async () => {
      const secret = await getHost()?.generateWebhookSecret(undefined)
      if (secret) set('secret', secret)
      return 'Generated a new secret: give it to the receiver, then save.'
    })

  return (
    <fieldset className="st-plain">
      <legend className="st-note">On this machine</legend>
      <DestinationFields
        rows={spec.form}
        values={values}
        set={set}
        secretSet={(k) => secretIsSet(saved?.config, k)}
        onGenerate={() => void generate()}
      />
      <div className="st-row">
        <button type="button" className="st-primary" disabled={busy} onClick={() => void save()}>
          Save on this machine
        </button>
        <button type="button" disabled={busy} onClick={() => void test()} aria-describedby={testNoteId}>
          Test
        </button>
        {saved && (
          <button type="button" onClick={() => void forget()}>
            Remove local settings
          </button>
        )}
      </div>
      <p id={testNoteId} className="st-note">
        {spec.testNote}
      </p>
      <StatusMessage message={message} />
    </fieldset>
  )
}
