import { useState } from 'react'
import { RiskPill } from '../board/RiskPill.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { RISK_LABEL } from '../ui/labels.ts'
import { canManage } from './members.ts'
import { PolicyHistory } from './PolicyHistory.tsx'
import { hasUnsavedEdits, type SaveResult, TypeForm } from './TypeForm.tsx'
import { draftOf, emptyDraft } from './type-form.ts'

const NEW = '__new__'

/** The workspace's output types: a list, and the selected one's review policy in a form. */
export function OutputTypesTab({ session }: { session: WorkspaceSession }) {
  const ws = session.workspace
  const { types, members } = useObserved(session, () => ({
    types: ws.types.all().sort((a, b) => a.name.localeCompare(b.name)),
    members: ws.members.all(),
  }))
  const manage = canManage(members, session.memberId)
  const [selected, setSelected] = useState<string | null>(null)
  const [created, setCreated] = useState<{ id: string; result: SaveResult } | null>(null)
  const onCreated = (id: string, result: SaveResult) => {
    setCreated({ id, result })
    setSelected(id)
  }
  const current = selected === NEW ? null : (types.find((t) => t.id === selected) ?? types[0] ?? null)
  const creating = selected === NEW || (types.length === 0 && manage.ok)

  return (
    <div className="st-types">
      <div className="st-list">
        <h2 id="st-types-heading">Output types</h2>
        {types.length === 0 && <p>No output types yet.</p>}
        <ul aria-labelledby="st-types-heading">
          {types.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                className="st-list-item"
                aria-current={!creating && current?.id === t.id ? 'true' : undefined}
                onClick={() => {
                  // The "saved" message, and the focus it takes, belong to the creation only.
                  setCreated(null)
                  setSelected(t.id)
                }}
              >
                <span>
                  {t.name}
                  {hasUnsavedEdits(session.entry.id, t.id) && (
                    <>
                      {' '}
                      <span className="st-unsaved">unsaved changes</span>
                    </>
                  )}
                </span>
                <RiskPill risk={t.risk} label={RISK_LABEL[t.risk]} />
              </button>
            </li>
          ))}
        </ul>
        {manage.ok && (
          <button type="button" onClick={() => setSelected(NEW)}>
            New output type
          </button>
        )}
      </div>
      <div className="st-detail">
        {!manage.ok && <p className="st-note">{manage.reason} You can read the policies here.</p>}
        {creating ? (
          <TypeForm
            key={NEW}
            session={session}
            initial={emptyDraft()}
            otherNames={types.map((t) => t.name)}
            members={members}
            readOnly={!manage.ok}
            onSaved={onCreated}
            focusOnOpen={selected === NEW ? 'name' : null}
          />
        ) : current ? (
          <>
            <TypeForm
              key={current.id}
              session={session}
              initial={draftOf(current)}
              otherNames={types.filter((t) => t.id !== current.id).map((t) => t.name)}
              members={members}
              readOnly={!manage.ok}
              saved={created?.id === current.id ? created.result : null}
              onSaved={onCreated}
              focusOnOpen={created?.id === current.id ? 'save' : null}
            />
            <PolicyHistory session={session} typeId={current.id} />
          </>
        ) : null}
      </div>
    </div>
  )
}
