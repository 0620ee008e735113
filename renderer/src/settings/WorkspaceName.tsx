import { useEffect, useId, useRef, useState } from 'react'
import { renameWorkspace } from '../../../shared/domain/member-actions.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { StatusMessage, useMessage } from './kit.tsx'
import { canManage } from './members.ts'
import { SettingsForm } from './SettingsForm.tsx'

/**
 * Settings → General → Workspace: its name, which an admin may change (every member's switcher
 * follows once it syncs); others see it and who can change it.
 */
export function WorkspaceName({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const name = useObserved(session, () => ws.name)
  const members = useObserved(session, () => ws.members.all())
  const manage = canManage(members, session.memberId)
  const [value, setValue] = useState(name)
  const [invalid, setInvalid] = useState(false)
  const { message, setMessage } = useMessage()
  const input = useRef<HTMLInputElement>(null)
  const id = useId()
  // A rename that arrives from a teammate shows here unless this person is typing one.
  const typed = useRef(false)
  useEffect(() => {
    if (!typed.current) setValue(name)
  }, [name])

  const submit = () => {
    const r = renameWorkspace(ws, session.memberId, value)
    if (!r.ok) {
      setInvalid(true)
      setMessage({ kind: 'error', text: r.reason })
      input.current?.focus()
      return
    }
    typed.current = false
    setInvalid(false)
    setMessage({ kind: 'ok', text: `Renamed the workspace to “${ws.name}”.` })
  }

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Workspace</h2>
      {manage.ok ? (
        <SettingsForm onSubmit={submit}>
          <div className="st-row">
            <label className="st-field st-wide" htmlFor={`${id}-name`}>
              Workspace name
              <input
                id={`${id}-name`}
                ref={input}
                value={value}
                aria-invalid={invalid || undefined}
                aria-describedby={invalid ? `${id}-status` : undefined}
                onChange={(e) => {
                  typed.current = true
                  setInvalid(false)
                  setValue(e.target.value)
                }}
              />
            </label>
            <button type="submit">Rename workspace</button>
          </div>
          <div id={`${id}-status`}>
            <StatusMessage message={message} />
          </div>
        </SettingsForm>
      ) : (
        <p>
          “{name}”. <span className="st-note">Only admins can rename the workspace.</span>
        </p>
      )}
    </section>
  )
}
