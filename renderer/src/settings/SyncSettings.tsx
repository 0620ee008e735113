import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { CreatedInvite, HostingStatus, InviteInfo } from '../../../shared/host/hosting.ts'
import { useModel } from '../app/context.tsx'
import {
  FormError,
  FormSubmit,
  type RelayCredentials,
  RelayFields,
  useFormAction,
  useRelayCheck,
} from '../chrome/form.tsx'
import { describeSync } from '../chrome/SyncStatus.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost, type HostBridge } from '../host.ts'
import { useObserved } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { CopyButton, errorText, TableHead } from './kit.tsx'
import { LeaveWorkspace } from './LeaveWorkspace.tsx'
import { SettingsForm } from './SettingsForm.tsx'

/** The hosting methods of the host API (shapes in shared/host/hosting.ts), where the shell has them. */
type HostingApi = Pick<
  HostBridge,
  'hostingStatus' | 'startHosting' | 'stopHosting' | 'createInvite' | 'listInvites' | 'revokeInvite'
>

function hostingApi(): HostingApi | null {
  const host = getHost()
  // An older shell may lack them: then hosting is simply unavailable here.
  if (!host || typeof host.startHosting !== 'function' || typeof host.hostingStatus !== 'function')
    return null
  return host
}

/** Settings → Sync: the relay this workspace syncs through, hosting it here, invites, and leaving it. */
export function SyncSettings({ session }: { session: WorkspaceSession }) {
  return (
    <div className="sync-settings">
      <RelaySection session={session} />
      <HostingSection session={session} />
      <LeaveWorkspace session={session} />
    </div>
  )
}

function RelaySection({ session }: { session: WorkspaceSession }) {
  const model = useModel()
  const info = useObserved(session, () => describeSync(session))
  const error = useObserved(session, () => session.status.error ?? null)
  const [entered, setEntered] = useState<RelayCredentials>({ url: '', token: '' })
  const { url, token } = entered
  const { error: formError, fail } = useFormAction()
  const id = useId()
  const { refused, check } = useRelayCheck(
    `${id}-error`,
    'Paste a token the relay issued for you in this workspace.',
  )
  const relay = session.entry.relayUrl
  // Connect and Disconnect each replace the control that was pressed: the focus goes to the
  // section's heading (then its status), or back into the address, instead of to the page.
  const heading = useRef<HTMLHeadingElement>(null)
  const pressed = useRef<'connect' | 'disconnect' | null>(null)
  useEffect(() => {
    if (pressed.current === 'connect' && relay) heading.current?.focus()
    if (pressed.current === 'disconnect' && !relay) document.getElementById(`${id}-url`)?.focus()
    pressed.current = null
  }, [relay, id])
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} ref={heading} tabIndex={-1}>
        Relay
      </h2>
      <dl className="facts">
        <dt>Syncs through</dt>
        <dd>{relay ? <code>{relay}</code> : 'Nothing: this workspace lives on this device only.'}</dd>
        <dt>Status</dt>
        <dd>
          {info.word}
          {info.detail ? ` — ${info.detail}` : ''}
        </dd>
        {error && (
          <>
            <dt>Problem</dt>
            <dd className="field-error">{error}</dd>
          </>
        )}
      </dl>
      {relay ? (
        <button
          type="button"
          onClick={() => {
            pressed.current = 'disconnect'
            model.setRelay(session.entry.id, undefined, undefined)
            useUi
              .getState()
              .notify('info', 'Disconnected from the relay; the workspace stays on this device.')
          }}
        >
          Disconnect from the relay
        </button>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            fail(null)
            const problem = check(entered)
            if (problem) return fail(problem)
            pressed.current = 'connect'
            model.setRelay(session.entry.id, url.trim(), token.trim())
          }}
        >
          <p className="hint">Connect this workspace to a relay so teammates can sync with it.</p>
          <RelayFields
            id={id}
            value={entered}
            onChange={setEntered}
            tokenLabel="Your token on that relay"
            refused={refused}
          />
          <FormSubmit error={formError} errorId={`${id}-error`} label="Connect" />
        </form>
      )}
    </section>
  )
}

function HostingSection({ session }: { session: WorkspaceSession }) {
  const model = useModel()
  const api = useMemo(hostingApi, [])
  const [status, setStatus] = useState<HostingStatus | null>(null)
  const [lan, setLan] = useState(true)
  const [port, setPort] = useState('4455')
  const { busy, error, fail, run } = useFormAction()
  const id = useId()

  useEffect(() => {
    if (!api) return
    let live = true
    api.hostingStatus(undefined).then(
      (s) => live && setStatus(s),
      (e: unknown) => fail(errorText(e)),
    )
    // Hosting that stops on its own (its relay's thread ended) shows at once, with the reason.
    const off = getHost()?.onHostEvent((event) => {
      if (live && event.name === 'hosting') setStatus(event.payload)
    })
    return () => {
      live = false
      off?.()
    }
  }, [api, fail])

  if (!api)
    return (
      <section className="panel" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Host this workspace on my network</h2>
        <p>
          Hosting is not available in this shell. Run the desktop app to host, or run a relay (
          <code>npm run relay</code>) and connect to it above.
        </p>
      </section>
    )

  // Busy buttons are aria-disabled, not disabled (a refusal, such as a port in use, leaves the
  // focus on the button); a press while busy is ignored here.
  const start = () =>
    !busy &&
    run(async () => {
      const n = Number(port)
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error('The port is a number from 0 to 65535.')
      const started = await api.startHosting({
        workspaceId: session.entry.id,
        memberId: session.memberId,
        port: n,
        lan,
      })
      setStatus(started)
      // This device syncs through its own relay, so teammates get everything it has.
      model.setRelay(session.entry.id, started.url, started.ownToken)
    })
  const stop = () =>
    !busy &&
    run(async () => {
      setStatus(await api.stopHosting(undefined))
      model.setRelay(session.entry.id, undefined, undefined)
    })

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Host this workspace on my network</h2>
      <p className="hint">
        Runs a relay inside this app. Teammates on your network join with its address and an invite token. It
        runs only while this app is open.
      </p>
      {status?.running ? (
        <>
          <dl className="facts">
            <dt>This device</dt>
            <dd>
              <code>{status.url}</code>
            </dd>
            <dt>For teammates</dt>
            <dd>
              {status.lanUrls.length > 0
                ? status.lanUrls.map((u) => (
                    <span key={u} className="copy-line">
                      <code>{u}</code> <CopyButton text={u} label={`Copy address ${u}`} />
                    </span>
                  ))
                : 'Only this computer can connect (not shared on the network).'}
            </dd>
          </dl>
          <button type="button" onClick={stop} aria-disabled={busy || undefined}>
            Stop hosting
          </button>
          <Invites session={session} api={api} />
        </>
      ) : (
        // A form, so Enter in the port starts hosting as the button does.
        <SettingsForm className="form" aria-label="Start hosting" onSubmit={start}>
          {/* Why hosting stopped on its own (its relay's thread ended), until it starts again. */}
          {status?.error && <p className="field-error">{status.error}</p>}
          <label className="check">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.target.checked)} />
            Reachable from my local network
          </label>
          <label htmlFor={`${id}-port`}>Port</label>
          <input
            id={`${id}-port`}
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            className="short"
          />
          <div className="form-actions">
            <button type="submit" className="primary" aria-disabled={busy || undefined}>
              {busy ? 'Starting…' : 'Start hosting'}
            </button>
          </div>
        </SettingsForm>
      )}
      <FormError error={error} />
    </section>
  )
}

function Invites({ session, api }: { session: WorkspaceSession; api: HostingApi }) {
  const members = useObserved(session, () => session.workspace.members.all())
  const [invites, setInvites] = useState<InviteInfo[]>([])
  const [created, setCreated] = useState<(CreatedInvite & { memberName: string }) | null>(null)
  const { error, fail, run } = useFormAction()
  const refresh = useCallback(() => {
    api.listInvites(session.entry.id).then(setInvites, (e: unknown) => fail(errorText(e)))
  }, [api, session, fail])
  useEffect(refresh, [refresh])
  const nameOf = (memberId: string) => members.find((m) => m.id === memberId)?.name ?? memberId
  return (
    <div className="invites">
      <h3>Invites</h3>
      <p className="hint">
        Add teammates under Members first; then create an invite for each and send it to them.
      </p>
      <ul className="plain-list">
        {members
          .filter((m) => m.id !== session.memberId)
          .map((m) => (
            <li key={m.id}>
              <span>
                {m.name} <span className="muted">({m.roles.join(', ')})</span>
              </span>
              <button
                type="button"
                onClick={() =>
                  run(async () => {
                    const inv = await api.createInvite({
                      workspaceId: session.entry.id,
                      memberId: m.id,
                      access: 'write',
                    })
                    setCreated({ ...inv, memberName: m.name })
                    refresh()
                  })
                }
              >
                Create invite for {m.name}
              </button>
            </li>
          ))}
      </ul>
      {created && (
        <section className="panel invite-once" aria-label={`Invite for ${created.memberName}`}>
          <p>
            <strong>Invite for {created.memberName}.</strong> The token is shown only now: copy it and send it
            to them.
          </p>
          <p className="copy-line">
            Relay address: <code>{created.relayUrl}</code>{' '}
            <CopyButton text={created.relayUrl} label="Copy relay address" />
          </p>
          <p className="copy-line">
            Token: <code className="token">{created.token}</code>{' '}
            <CopyButton text={created.token} label="Copy invite token" />
          </p>
          <button type="button" className="link" onClick={() => setCreated(null)}>
            Done
          </button>
        </section>
      )}
      {invites.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Invite tokens</caption>
          <TableHead columns={['For', 'Access', 'Created', 'State']} actions />
          <tbody>
            {invites.map((inv) => (
              <tr key={inv.tokenId}>
                <td>{nameOf(inv.memberId)}</td>
                <td>{inv.access}</td>
                <td>{new Date(inv.createdAt).toLocaleString()}</td>
                <td>{inv.revoked ? 'Revoked' : 'Active'}</td>
                <td>
                  {!inv.revoked && inv.memberId !== session.memberId && (
                    <button
                      type="button"
                      onClick={() =>
                        run(async () => {
                          await api.revokeInvite(inv.tokenId)
                          refresh()
                        })
                      }
                    >
                      Revoke invite for {nameOf(inv.memberId)}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError error={error} />
    </div>
  )
}
