import { type ReactNode, useEffect, useId, useState } from 'react'
import { TEMPLATES } from '../../../shared/domain/templates.ts'
import { useModel } from '../app/context.tsx'
import { useOpenRequests } from '../app/open-requests.ts'
import {
  FormSubmit,
  type RelayCredentials,
  RelayFields,
  useFormAction,
  useRelayCheck,
} from '../chrome/form.tsx'
import { useUi } from '../ui/store.ts'

/**
 * First run: who you are, then a workspace (a new one from a starter template, or a teammate's
 * through their relay and an invite token). Also shown for "New or join workspace…".
 */
export function FirstRun({ onCancel }: { onCancel?: () => void }) {
  const model = useModel()
  if (!model.profile) return <ProfileStep />
  return (
    <main className="onboarding" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title">
        {model.entries.length === 0 ? `Welcome, ${model.profile.name}` : 'Add a workspace'}
      </h1>
      <p className="lede">
        A workspace holds your team’s output types, review checklists and outputs. Create one on this device,
        or join a teammate’s.
      </p>
      <div className="onboarding-panels">
        <CreateWorkspace />
        <JoinWorkspace />
      </div>
      {onCancel && (
        <p>
          <button type="button" onClick={onCancel}>
            Back to the board
          </button>
        </p>
      )}
    </main>
  )
}

function ProfileStep() {
  const model = useModel()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = useId()
  return (
    <main className="onboarding" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title">Welcome to Signoff</h1>
      <p className="lede">
        Every AI output gets a type, a review standard, an approval route and a trace. First, what should your
        teammates call you?
      </p>
      <form
        className="form panel narrow"
        onSubmit={(e) => {
          e.preventDefault()
          try {
            model.setProfile(name)
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err))
          }
        }}
      >
        <label htmlFor={id}>Your name</label>
        <input
          id={id}
          value={name}
          autoComplete="name"
          // biome-ignore lint/a11y/noAutofocus: the first screen asks exactly this
          autoFocus
          onChange={(e) => setName(e.target.value)}
          aria-describedby={error ? `${id}-err` : undefined}
        />
        <FormSubmit error={error} errorId={`${id}-err`} label="Continue" />
      </form>
    </main>
  )
}

/** A first-run panel that makes a workspace (a new one, or a teammate's) and opens it. */
function WorkspaceForm({
  id,
  title,
  label,
  busyLabel,
  missing,
  open,
  children,
}: {
  id: string
  title: string
  label: string
  busyLabel: string
  /** What the person still has to fill in, or null. */
  missing: () => string | null
  open: () => Promise<{ entry: { id: string } }>
  children: ReactNode
}) {
  const setActive = useUi((s) => s.setActiveWorkspace)
  const { busy, error, fail, run } = useFormAction()
  return (
    <form
      className="form panel"
      aria-labelledby={`${id}-h`}
      onSubmit={async (e) => {
        e.preventDefault()
        if (busy) return
        const problem = missing()
        if (problem) return fail(problem)
        await run(async () => setActive((await open()).entry.id))
      }}
    >
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
      <FormSubmit error={error} errorId={`${id}-error`} label={label} busy={busy} busyLabel={busyLabel} />
    </form>
  )
}

function CreateWorkspace() {
  const model = useModel()
  const [name, setName] = useState('')
  const [template, setTemplate] = useState(TEMPLATES[0]?.id ?? 'empty')
  const id = useId()
  return (
    <WorkspaceForm
      id={id}
      title="Create a workspace"
      label="Create workspace"
      busyLabel="Creating…"
      missing={() => (name.trim() ? null : 'Give the workspace a name.')}
      open={() => model.createWorkspace(name, template)}
    >
      <label htmlFor={`${id}-name`}>Workspace name</label>
      <input
        id={`${id}-name`}
        // biome-ignore lint/a11y/noAutofocus: the step the person just asked for; its first field
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Marketing"
      />
      <fieldset>
        <legend>Starter template</legend>
        {TEMPLATES.map((t) => (
          <label key={t.id} className="radio">
            <input
              type="radio"
              name={`${id}-template`}
              value={t.id}
              checked={template === t.id}
              onChange={() => setTemplate(t.id)}
            />
            <span>
              <strong>{t.name}</strong>
              <span className="muted"> — {t.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </WorkspaceForm>
  )
}

function JoinWorkspace() {
  const model = useModel()
  const [relay, setRelay] = useState<RelayCredentials>({ url: '', token: '' })
  // An opened invite link (signoff://join?relay=…&token=…) fills the form in; joining stays a click.
  const joinLink = useOpenRequests((s) => s.join)
  useEffect(() => {
    const link = joinLink && useOpenRequests.getState().takeJoin()
    if (!link) return
    setRelay({ url: link.relay, token: link.token })
  }, [joinLink])
  const id = useId()
  // The refused field is marked and takes the focus, as in the other forms.
  const { refused, check } = useRelayCheck(`${id}-error`, 'Paste the invite token your teammate gave you.')
  return (
    <WorkspaceForm
      id={id}
      title="Join a workspace"
      label="Join workspace"
      busyLabel="Joining…"
      missing={() => check(relay)}
      open={() => model.joinWorkspace(relay.url, relay.token)}
    >
      <RelayFields id={id} value={relay} onChange={setRelay} tokenLabel="Invite token" refused={refused} />
    </WorkspaceForm>
  )
}
