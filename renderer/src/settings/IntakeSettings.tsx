import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react'
import type { InboxStatus, IntakeInfo } from '../../../shared/host/intake.ts'
import { FormError, useFormAction } from '../chrome/form.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useHostHealth } from '../host/health.ts'
import { getHost } from '../host.ts'
import { CopyButton, errorText } from './kit.tsx'

/**
 * Settings → Intake: where scripts and agents send work on this machine (the local API's address
 * and token, for curl, `signoff submit` and the MCP server) and this workspace's inbox folder.
 */
export function IntakeSettings({ session }: { session: WorkspaceSession }) {
  const id = useId()
  const host = getHost()
  const workspaceId = session.entry.id
  const [info, setInfo] = useState<IntakeInfo | null>(null)
  const [inbox, setInbox] = useState<InboxStatus | null>(null)
  const [path, setPath] = useState('')
  const { error, fail, run } = useFormAction()
  /** The folder last refused, and whether the error shown is that refusal (the field is marked). */
  const refusedPath = useRef<string | null>(null)
  const [pathRefused, setPathRefused] = useState(false)
  const pathField = useRef<HTMLInputElement>(null)
  // A host that stops answering (the web bridge stopped) is said here too; when it is back, the
  // status is read again (between the two, its events say what changed).
  const health = useHostHealth()

  const refresh = useCallback(async () => {
    if (!host || typeof host.intakeInfo !== 'function') return
    try {
      setInfo(await host.intakeInfo(undefined))
      const status = await host.inboxStatus(workspaceId)
      setInbox(status)
      return status
    } catch (e) {
      fail(errorText(e))
      return undefined
    }
  }, [host, workspaceId, fail])

  useEffect(() => {
    let live = true
    void refresh().then((status) => {
      if (live && status) setPath(status.path ?? '')
    })
    // The host tells each change of the inbox's status (a file taken or failed): no polling.
    const off = host?.onHostEvent((event) => {
      if (live && event.name === 'inbox' && event.payload.workspaceId === workspaceId) setInbox(event.payload)
    })
    return () => {
      live = false
      off?.()
    }
  }, [refresh, host, workspaceId])

  useEffect(() => {
    // A read started while the host answered may finish after it stopped answering: it must not
    // clear the words that say so (a slow machine made that happen).
    let live = true
    if (health.lost) fail(health.message ?? 'The Signoff host does not answer.')
    else
      void refresh().then((status) => {
        if (live && status) fail(null)
      })
    return () => {
      live = false
    }
  }, [health.lost, health.message, refresh, fail])

  if (!host || typeof host.intakeInfo !== 'function')
    return <p className="hint">Intake needs the desktop app or `npm run web`.</p>

  const saveInbox = (e: FormEvent) => {
    e.preventDefault()
    const chosen = path.trim() || null
    // Saving the same folder again after it was refused for the files it holds takes them: the
    // refusal named them, and saving again is the person's answer.
    const takeWaiting = chosen !== null && refusedPath.current === chosen
    return run(async () => {
      try {
        setInbox(await host.setInbox({ workspaceId, path: chosen, ...(takeWaiting ? { takeWaiting } : {}) }))
        refusedPath.current = null
        setPathRefused(false)
      } catch (err) {
        refusedPath.current = chosen
        setPathRefused(true)
        requestAnimationFrame(() => pathField.current?.focus())
        throw err
      }
    })
  }

  return (
    <div className="intake-settings">
      <section className="panel" aria-labelledby={`${id}-api`}>
        <h2 id={`${id}-api`}>Local intake API</h2>
        <p className="hint">
          Scripts and agents on this machine send outputs here: <code>POST /outputs</code> with the token as{' '}
          <code>Authorization: Bearer …</code>, or <code>npx signoff submit draft.md --type …</code>, or the
          MCP server (<code>npm run mcp</code>). They arrive as drafts authored by you.
        </p>
        {info?.url ? (
          <dl className="facts">
            <dt>Address</dt>
            <dd>
              <code>{info.url}</code> <CopyButton text={info.url} label="Copy the intake address" />
            </dd>
            <dt>Token</dt>
            <dd>
              <code>{info.token}</code> <CopyButton text={info.token ?? ''} label="Copy the intake token" />
            </dd>
          </dl>
        ) : (
          <p className="field-error">{info?.error ?? error ?? 'Starting…'}</p>
        )}
      </section>
      <section className="panel" aria-labelledby={`${id}-inbox`}>
        <h2 id={`${id}-inbox`}>Inbox folder</h2>
        <p className="hint">
          A .md, .txt, .html or .json file dropped in this folder becomes a draft in this workspace; front
          matter (or a JSON envelope) may set title, type, source, tags and due. Files then move to{' '}
          <code>processed/</code>, or to <code>failed/</code> with a <code>.reason.txt</code>. This setting is
          for this machine only.
        </p>
        <form className="form" onSubmit={(e) => void saveInbox(e)}>
          <label htmlFor={`${id}-path`}>Folder (absolute path; empty to stop watching)</label>
          <input
            id={`${id}-path`}
            ref={pathField}
            aria-invalid={(pathRefused && !!error) || undefined}
            aria-describedby={pathRefused && error ? `${id}-error` : undefined}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/Signoff inbox"
            spellCheck={false}
          />
          <div className="form-actions">
            <button type="submit" className="primary">
              Save inbox folder
            </button>
          </div>
        </form>
        {inbox?.path && (
          <p className="hint" role="status">
            Watching {inbox.path}: {inbox.processed} taken, {inbox.failed} failed since the app started.
            {inbox.lastFailure && ` Last failure: ${inbox.lastFailure.file}: ${inbox.lastFailure.reason}`}
          </p>
        )}
        {inbox && !inbox.path && (
          <p className="hint" role="status">
            No inbox folder on this machine: outputs arrive only through the local API.
          </p>
        )}
        {inbox?.error && <p className="field-error">{inbox.error}</p>}
      </section>
      <FormError error={error} id={`${id}-error`} />
    </div>
  )
}
