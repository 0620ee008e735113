import { useEffect, useId, useState } from 'react'
import {
  addDestination,
  allowDestination,
  removeDestination,
  renameDestination,
} from '../../../shared/domain/destination-actions.ts'
import { DESTINATION_KINDS, type Destination, type DestinationKind } from '../../../shared/domain/types.ts'
import type { SecretStorageStatus } from '../../../shared/host/publishing.ts'
import { renderFileName, templateProblem } from '../../../shared/publish/filename.ts'
import { FORMAT_EXTENSIONS, PUBLISH_FORMATS, type PublishFormat } from '../../../shared/publish/render.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost } from '../host.ts'
import { type LocalDestinations, localDestinations } from '../publish/local.ts'
import { useObserved } from '../state/observable.ts'
import { canManage } from './members.ts'

type Message = { kind: 'ok' | 'error'; text: string } | null

export const KIND_LABEL: Record<DestinationKind, string> = {
  folder: 'Folder',
  git: 'Git repository',
  webhook: 'Webhook',
  email: 'Email',
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

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
  const [message, setMessage] = useState<Message>(null)
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

  const remove = (d: Destination) => {
    const removed = removeDestination(ws, session.memberId, d.id)
    setMessage(
      removed.ok ? { kind: 'ok', text: `Removed “${d.name}”.` } : { kind: 'error', text: removed.reason },
    )
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
      {message && (
        <p
          className={message.kind === 'ok' ? 'st-ok' : 'st-error'}
          role={message.kind === 'ok' ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}

      {manage.ok && (
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
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <button type="button" className="st-primary" onClick={add}>
            Add destination
          </button>
        </fieldset>
      )}

      {destinations.length === 0 ? (
        <p className="st-note">No destinations yet.</p>
      ) : (
        <>
          <table className="st-table">
            <caption className="st-note" style={{ textAlign: 'left' }}>
              Which output types may be published where
            </caption>
            <thead>
              <tr>
                <th scope="col">Output type</th>
                {destinations.map((d) => (
                  <th key={d.id} scope="col">
                    {d.name}
                  </th>
                ))}
              </tr>
            </thead>
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
              onRemove={() => remove(d)}
            />
          ))}
        </>
      )}
    </div>
  )
}

type Fields = Record<string, string | boolean>

const DEFAULTS: Record<DestinationKind, Fields> = {
  folder: { path: '', format: 'markdown', template: '{date}-{slug}.{ext}', overwrite: false },
  git: {
    path: '',
    format: 'markdown',
    template: '{date}-{slug}.{ext}',
    overwrite: false,
    push: false,
    remote: 'origin',
    authorName: '',
    authorEmail: '',
  },
  webhook: { url: '', secret: '', timeoutMs: '10000', maxAttempts: '3' },
  email: { host: '', port: '587', security: 'starttls', user: '', password: '', from: '', to: '' },
}

/** Stored (redacted) settings back into form fields; secrets are never echoed. */
function toFields(kind: DestinationKind, config: Record<string, unknown> | undefined): Fields {
  const f: Fields = { ...DEFAULTS[kind] }
  if (!config) return f
  for (const key of Object.keys(f)) {
    const v = config[key]
    if (key === 'secret' || key === 'password') continue
    if (key === 'to' && Array.isArray(v)) f[key] = v.join(', ')
    else if (typeof v === 'boolean') f[key] = v
    else if (typeof v === 'string' || typeof v === 'number') f[key] = String(v)
  }
  return f
}

function toConfig(kind: DestinationKind, f: Fields): Record<string, unknown> {
  const s = (k: string) => String(f[k] ?? '').trim()
  const n = (k: string) => Number(s(k))
  switch (kind) {
    case 'folder':
      return {
        kind,
        path: s('path'),
        format: s('format'),
        template: s('template'),
        overwrite: f.overwrite === true,
      }
    case 'git':
      return {
        kind,
        path: s('path'),
        format: s('format'),
        template: s('template'),
        overwrite: f.overwrite === true,
        push: f.push === true,
        remote: s('remote') || 'origin',
        ...(s('authorName') ? { authorName: s('authorName') } : {}),
        ...(s('authorEmail') ? { authorEmail: s('authorEmail') } : {}),
      }
    case 'webhook':
      return {
        kind,
        url: s('url'),
        ...(s('secret') ? { secret: s('secret') } : {}),
        timeoutMs: n('timeoutMs'),
        maxAttempts: n('maxAttempts'),
      }
    case 'email':
      return {
        kind,
        host: s('host'),
        port: n('port'),
        security: s('security'),
        user: s('user'),
        ...(s('password') ? { password: s('password') } : {}),
        from: s('from'),
        to: s('to')
          .split(/[,;\s]+/)
          .filter(Boolean),
      }
  }
}

function DestinationCard({
  session,
  destination: d,
  local,
  manage,
  onRemove,
}: {
  session: WorkspaceSession
  destination: Destination
  local: LocalDestinations
  manage: boolean
  onRemove: () => void
}) {
  const ws = session.workspace
  const saved = local.settings(d.id)
  const [fields, setFields] = useState<Fields>(() => toFields(d.kind, saved?.config))
  const [rename, setRename] = useState(d.name)
  const [message, setMessage] = useState<Message>(null)
  const [busy, setBusy] = useState(false)
  const base = useId()
  // The saved settings arrive after the first render: fill the form once they do.
  const savedKey = JSON.stringify(saved?.config ?? null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: refill when the stored settings change
  useEffect(() => setFields(toFields(d.kind, saved?.config)), [savedKey, d.kind])

  const set = (k: string, v: string | boolean) => setFields((f) => ({ ...f, [k]: v }))
  const secretSet = (k: string) => {
    const v = saved?.config[k]
    return typeof v === 'object' && v !== null && (v as { set?: boolean }).set === true
  }

  const text = (k: string, label: string, props: { type?: string; placeholder?: string } = {}) => (
    <label className="st-field" htmlFor={`${base}-${k}`}>
      {label}
      <input
        id={`${base}-${k}`}
        type={props.type ?? 'text'}
        value={String(fields[k] ?? '')}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => set(k, e.target.value)}
      />
    </label>
  )
  const check = (k: string, label: string) => (
    <label className="st-choice">
      <input type="checkbox" checked={fields[k] === true} onChange={(e) => set(k, e.target.checked)} />
      {label}
    </label>
  )
  const formatField = () => (
    <label className="st-field" htmlFor={`${base}-format`}>
      Format
      <select
        id={`${base}-format`}
        value={String(fields.format)}
        onChange={(e) => set('format', e.target.value)}
      >
        {PUBLISH_FORMATS.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </label>
  )
  const preview = () => {
    const format = (PUBLISH_FORMATS as readonly string[]).includes(String(fields.format))
      ? (fields.format as PublishFormat)
      : 'markdown'
    return renderFileName(String(fields.template ?? ''), {
      date: new Date().toISOString(),
      title: 'Weekly summary',
      id: 'o123',
      type: 'Internal summary',
      ext: FORMAT_EXTENSIONS[format],
      hash: '3f2a9c01',
    })
  }

  const save = async () => {
    const host = getHost()
    if (!host) {
      setMessage({ kind: 'error', text: 'There is no host to keep local settings in.' })
      return
    }
    setBusy(true)
    try {
      await host.saveDestinationSettings({
        workspaceId: session.entry.id,
        destinationId: d.id,
        config: toConfig(d.kind, fields),
      })
      await local.refresh()
      setMessage({ kind: 'ok', text: `Saved the settings for “${d.name}” on this machine.` })
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const test = async () => {
    const host = getHost()
    if (!host) {
      setMessage({ kind: 'error', text: 'There is no host to test the settings on.' })
      return
    }
    setBusy(true)
    try {
      const r = await host.testDestinationSettings({
        workspaceId: session.entry.id,
        destinationId: d.id,
        config: toConfig(d.kind, fields),
      })
      setMessage({ kind: r.ok ? 'ok' : 'error', text: r.message })
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const forget = async () => {
    try {
      await getHost()?.deleteDestinationSettings({ workspaceId: session.entry.id, destinationId: d.id })
      await local.refresh()
      setMessage({ kind: 'ok', text: `Removed this machine’s settings for “${d.name}”.` })
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    }
  }

  const generate = async () => {
    try {
      const secret = await getHost()?.generateWebhookSecret(undefined)
      if (secret) set('secret', secret)
      setMessage({ kind: 'ok', text: 'Generated a new secret: give it to the receiver, then save.' })
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    }
  }

  return (
    <section className="st-group" aria-label={`Destination ${d.name}`} style={{ marginTop: 12 }}>
      <h3 style={{ margin: 0, fontSize: '1rem' }}>
        {d.name} <span className="st-note">· {KIND_LABEL[d.kind]}</span>
      </h3>
      <p className="st-note">{saved ? 'Set up on this machine.' : 'Not set up on this machine yet.'}</p>
      {manage && (
        <div className="st-row">
          <label className="st-field" htmlFor={`${base}-rename`}>
            Name
            <input
              id={`${base}-rename`}
              value={rename}
              maxLength={120}
              onChange={(e) => setRename(e.target.value)}
            />
          </label>
          <button
            type="button"
            disabled={!rename.trim() || rename.trim() === d.name}
            onClick={() => renameDestination(ws, session.memberId, d.id, rename)}
          >
            Rename
          </button>
          <button type="button" onClick={onRemove}>
            Remove destination
          </button>
        </div>
      )}
      <fieldset className="st-plain">
        <legend className="st-note">On this machine</legend>
        {(d.kind === 'folder' || d.kind === 'git') && (
          <>
            {text('path', d.kind === 'folder' ? 'Folder path' : 'Repository path')}
            <div className="st-row">
              {formatField()}
              {text('template', 'File name template')}
            </div>
            <p className="st-note" aria-live="polite">
              {templateProblem(String(fields.template ?? '')) ? (
                <span className="st-error">
                  The file name template {templateProblem(String(fields.template ?? ''))}.
                </span>
              ) : (
                <>
                  Example file name: <code>{preview()}</code>
                </>
              )}{' '}
              (placeholders: {'{date} {time} {slug} {title} {id} {type} {hash} {ext}'})
            </p>
            {check('overwrite', 'Replace a file of the same name')}
          </>
        )}
        {d.kind === 'git' && (
          <>
            <div className="st-row">
              {check('push', 'Push after each commit')}
              {text('remote', 'Remote')}
            </div>
            <div className="st-row">
              {text('authorName', 'Commit author name')}
              {text('authorEmail', 'Commit author email')}
            </div>
          </>
        )}
        {d.kind === 'webhook' && (
          <>
            {text('url', 'Webhook URL', { placeholder: 'https://example.com/hooks/signoff' })}
            <div className="st-row">
              {text('secret', 'Signing secret', {
                type: 'password',
                placeholder: secretSet('secret') ? 'set (leave empty to keep it)' : 'whsec_…',
              })}
              <button type="button" onClick={() => void generate()}>
                Generate secret
              </button>
              {secretSet('secret') && <span className="st-note">Secret: set</span>}
            </div>
            <div className="st-row">
              {text('timeoutMs', 'Timeout (ms)', { type: 'number' })}
              {text('maxAttempts', 'Attempts', { type: 'number' })}
            </div>
          </>
        )}
        {d.kind === 'email' && (
          <>
            <div className="st-row">
              {text('host', 'SMTP host')}
              {text('port', 'Port', { type: 'number' })}
              <label className="st-field" htmlFor={`${base}-security`}>
                Security
                <select
                  id={`${base}-security`}
                  value={String(fields.security)}
                  onChange={(e) => set('security', e.target.value)}
                >
                  <option value="starttls">STARTTLS</option>
                  <option value="tls">TLS</option>
                  <option value="none">None (local relay only)</option>
                </select>
              </label>
            </div>
            <div className="st-row">
              {text('user', 'User name')}
              {text('password', 'Password', {
                type: 'password',
                placeholder: secretSet('password') ? 'set (leave empty to keep it)' : '',
              })}
              {secretSet('password') && <span className="st-note">Password: set</span>}
            </div>
            <div className="st-row">
              {text('from', 'From')}
              {text('to', 'To (comma-separated)')}
            </div>
          </>
        )}
        <div className="st-row">
          <button type="button" className="st-primary" disabled={busy} onClick={() => void save()}>
            Save on this machine
          </button>
          {(d.kind === 'folder' || d.kind === 'git') && (
            <button type="button" disabled={busy} onClick={() => void test()}>
              Test
            </button>
          )}
          {saved && (
            <button type="button" onClick={() => void forget()}>
              Remove local settings
            </button>
          )}
        </div>
        {message && (
          <p
            className={message.kind === 'ok' ? 'st-ok' : 'st-error'}
            role={message.kind === 'ok' ? 'status' : 'alert'}
          >
            {message.text}
          </p>
        )}
      </fieldset>
    </section>
  )
}
