import { useId, useRef, useState } from 'react'
import { addMember, changeRole } from '../../../shared/domain/member-actions.ts'
import { keyLabel } from '../../../shared/domain/signing.ts'
import type { Role } from '../../../shared/domain/types.ts'
import { ROLES } from '../../../shared/domain/types.ts'
import { onHostWorkspace } from '../data/host-commands.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { type Message, StatusMessage, TableHead } from './kit.tsx'
import { canManage, ROLE_LABEL } from './members.ts'
import { SettingsForm } from './SettingsForm.tsx'

/** Members, their roles, and adding a member (whose id an invite token is made for). */
export function MembersTab({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const members = useObserved(session, () => ws.members.all().sort((a, b) => a.name.localeCompare(b.name)))
  const manage = canManage(members, session.memberId)
  const [message, setMessage] = useState<Message>(null)

  const onToggle = (memberId: string, role: Role) => {
    const changed = changeRole(ws, session.memberId, memberId, role)
    setMessage(changed.ok ? null : { kind: 'error', text: changed.reason })
  }

  return (
    <div className="st-members">
      <h2>Members</h2>
      {!manage.ok && <p className="st-note">{manage.reason}</p>}
      <p className="st-note">A member’s id is what an invite token is made for (under Sync &amp; hosting).</p>
      <p className="st-note">
        A role taken away counts from now on: what the member approved or judged with it before still stands.
        To stop someone at once, also revoke their invite token under Sync &amp; hosting.
      </p>
      <table className="st-table">
        <caption className="visually-hidden">Members and their roles</caption>
        <TableHead columns={['Name', 'Member id', ...ROLES.map((r) => ROLE_LABEL[r])]} />
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                {m.name}
                {m.id === session.memberId && <span className="st-you"> (you)</span>}
              </th>
              <td>
                <code className="st-id">{m.id}</code>
              </td>
              {ROLES.map((r) => (
                <td key={r}>
                  <input
                    type="checkbox"
                    aria-label={`${ROLE_LABEL[r]}: ${m.name}`}
                    checked={m.roles.includes(r)}
                    disabled={!manage.ok}
                    onChange={() => onToggle(m.id, r)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <StatusMessage message={message} />
      {manage.ok && <AddMember session={session} onAdded={(text) => setMessage({ kind: 'ok', text })} />}
      <Devices session={session} />
    </div>
  )
}

/**
 * Every device key registered with a member and whether it is trusted; a member's own confirmed
 * device, or an admin, confirms a waiting one here.
 */
function Devices({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const me = session.memberId
  const rows = useObserved(session, () =>
    [...ws.keyTrust().values()].sort((a, b) => a.memberId.localeCompare(b.memberId) || a.addedAt - b.addedAt),
  )
  const signing = useObserved(session, () => session.signing)
  const thisKey = ws.heldPublicKey(me)
  const isAdmin = ws.members.get(me)?.roles.includes('admin') ?? false
  const [message, setMessage] = useState<Message>(null)
  const nameOf = (id: string) => ws.members.get(id)?.name ?? id

  const onConfirm = async (key: string) => {
    // The endorsement is signed with this device's key, which only the host holds.
    const r = await onHostWorkspace(ws, { name: 'confirmDevice', args: { key } })
    setMessage(
      r.ok
        ? { kind: 'ok', text: `Device ${keyLabel(key)} is confirmed.` }
        : { kind: 'error', text: r.reason },
    )
  }

  return (
    <section className="st-devices" aria-labelledby="st-devices-h">
      <h3 id="st-devices-h">Devices and signing keys</h3>
      <p className="st-note">
        Every decision is signed with the device key of the person who made it. Only trusted keys count; a
        member’s later device waits until their confirmed device or an admin confirms it.
      </p>
      {signing.problem && (
        <p role="alert" className="st-error">
          {signing.problem}
        </p>
      )}
      <table className="st-table">
        <caption className="visually-hidden">Device keys</caption>
        <TableHead columns={['Member', 'Device', 'Key', 'Status']} actions />
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5}>No device has registered a key yet.</td>
            </tr>
          )}
          {rows.map((k) => (
            <tr key={k.key}>
              <th scope="row">{nameOf(k.memberId)}</th>
              <td>
                {k.device || '—'}
                {k.key === thisKey && <span className="st-you"> (this device)</span>}
              </td>
              <td>
                <code className="st-id" title={k.key}>
                  {keyLabel(k.key)}
                </code>
              </td>
              <td>
                <strong className={k.trusted ? 'st-ok' : 'st-error'}>
                  {k.trusted ? 'Trusted' : 'Not trusted'}
                </strong>{' '}
                <span className="st-why">{k.why}</span>
              </td>
              <td>
                {!k.trusted && k.key !== thisKey && (isAdmin || k.memberId === me) && (
                  <button
                    type="button"
                    aria-label={`Confirm ${nameOf(k.memberId)}'s device ${keyLabel(k.key)}`}
                    onClick={() => void onConfirm(k.key)}
                  >
                    Confirm
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <StatusMessage message={message} />
    </section>
  )
}

function AddMember({ session, onAdded }: { session: WorkspaceSession; onAdded: (text: string) => void }) {
  const base = useId()
  const [name, setName] = useState('')
  const [roles, setRoles] = useState<Role[]>(['author', 'reviewer'])
  const [errors, setErrors] = useState<{ name?: string; roles?: string }>({})
  const ws = session.workspace
  const nameField = useRef<HTMLInputElement>(null)
  const firstRole = useRef<HTMLInputElement>(null)
  const add = () => {
    const added = addMember(ws, session.memberId, name, roles)
    if (!added.ok) {
      const errs = Object.keys(added.errors).length > 0 ? added.errors : { name: added.reason }
      setErrors(errs)
      // The focus goes to the first field refused, as in the other settings forms.
      ;(errs.name ? nameField : firstRole).current?.focus()
      return
    }
    setErrors({})
    setName('')
    onAdded(
      `Added ${added.name} (member id ${added.id}). Make an invite token for this id under Sync & hosting.`,
    )
  }
  return (
    <SettingsForm className="st-form st-add" aria-labelledby={`${base}-h`} onSubmit={add}>
      <h3 id={`${base}-h`}>Add a member</h3>
      <label className="st-field">
        <span id={`${base}-name-label`}>Name</span>
        <input
          ref={nameField}
          value={name}
          onChange={(e) => setName(e.target.value)}
          // Its name is the label alone, not the message inside the label too.
          aria-labelledby={`${base}-name-label`}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? `${base}-name` : undefined}
        />
        {errors.name && (
          <span id={`${base}-name`} className="st-error">
            {errors.name}
          </span>
        )}
      </label>
      <fieldset className="st-group">
        <legend>Roles</legend>
        <div className="st-row">
          {ROLES.map((r, i) => (
            <label key={r} className="st-choice">
              <input
                ref={i === 0 ? firstRole : undefined}
                type="checkbox"
                checked={roles.includes(r)}
                onChange={() => setRoles(roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r])}
              />
              {ROLE_LABEL[r]}
            </label>
          ))}
        </div>
        {errors.roles && <span className="st-error">{errors.roles}</span>}
      </fieldset>
      <button type="submit" className="st-primary">
        Add member
      </button>
    </SettingsForm>
  )
}
