/** One destination in Settings: its shared name (admins) and this machine's settings for it. */
import { useEffect, useId, useRef, useState } from 'react'
import { renameDestination } from '../../../shared/domain/destination-actions.ts'
import type { Destination } from '../../../shared/domain/types.ts'
import { type FormValues, secretIsSet, toConfig, toFormValues } from '../../../shared/publish/kinds/form.ts'
import { kindSpec } from '../../../shared/publish/kinds/index.ts'
import { type SettingsProblems, settingsProblems } from '../../../shared/publish/kinds/problems.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { getHost } from '../host.ts'
import type { LocalDestinations } from '../publish/local.ts'
import { Kept } from '../state/kept.ts'
import { DestinationFields, fieldControlId } from './DestinationFields.tsx'
import { StatusMessage, useMessage } from './kit.tsx'
import { SettingsForm } from './SettingsForm.tsx'

/** This machine's settings for a destination, typed and not saved yet, by workspace and destination. */
const unsavedDestinations = new Kept<{ values: FormValues; stored: FormValues }>()

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
  // A rename that arrives from another admin shows here, unless this person is typing one: an
  // untouched field pressed "Rename" would otherwise put the old name back.
  const typed = useRef(false)
  useEffect(() => {
    if (!typed.current) setRename(d.name)
  }, [d.name])
  const { message, setMessage } = useMessage()
  /** Remove asks first: it changes every output type that allowed the destination. */
  const [confirming, setConfirming] = useState(false)
  const id = useId()
  const submit = () => {
    if (rename.trim() === d.name) return setMessage({ kind: 'error', text: 'That is its name already.' })
    const r = renameDestination(session.workspace, session.memberId, d.id, rename)
    if (r.ok) typed.current = false
    setMessage(
      r.ok ? { kind: 'ok', text: `Renamed to “${rename.trim()}”.` } : { kind: 'error', text: r.reason },
    )
  }
  return (
    // A form: Enter in the name renames, as Enter in any add form of Settings adds.
    <SettingsForm onSubmit={submit}>
      <div className="st-row">
        <label className="st-field" htmlFor={id}>
          Name
          <input
            id={id}
            value={rename}
            maxLength={120}
            onChange={(e) => {
              typed.current = true
              setRename(e.target.value)
            }}
          />
        </label>
        <button type="submit">Rename</button>
        {confirming ? (
          <>
            <span className="st-note" id={`${id}-confirm`}>
              Remove “{d.name}”? Output types that may go there stop allowing it (a new version of their
              rules), publishes scheduled to it will not run, and this machine’s settings for it are deleted.
              What was published there stays in the trace under its name.
            </span>
            <button type="button" aria-describedby={`${id}-confirm`} onClick={onRemove}>
              Remove “{d.name}”
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Remove destination
          </button>
        )}
      </div>
      <StatusMessage message={message} />
    </SettingsForm>
  )
}

function LocalSettings({
  session,
  destination: d,
  local,
}: Pick<CardProps, 'session' | 'destination' | 'local'>) {
  const spec = kindSpec(d.kind)
  const saved = local.settings(d.id)
  // Settings typed here and not saved (the board visited, another tab opened) come back as left.
  const keptKey = `${session.entry.id}/${d.id}`
  const [kept] = useState(() => unsavedDestinations.get(keptKey))
  const [values, setValues] = useState<FormValues>(() => kept?.values ?? toFormValues(d.kind, saved?.config))
  /** The form as the stored settings fill it: what the person's edits are measured against. */
  const stored = useRef<FormValues>(kept?.stored ?? toFormValues(d.kind, saved?.config))
  const pristine = JSON.stringify(values) === JSON.stringify(stored.current)
  // Edits are kept as they are made, and forgotten once saved or discarded.
  useEffect(() => {
    unsavedDestinations.keep(keptKey, pristine ? undefined : { values, stored: stored.current })
  }, [keptKey, values, pristine])
  const { message, setMessage, attempt } = useMessage()
  const testNoteId = useId()
  const fieldsBase = useId()
  /** Set by a refused save or test: from then on each field's problem is shown, and updated as it is edited. */
  const [checked, setChecked] = useState(false)
  /** What the last refused action was ('saved', 'tested'), while fields it refused are still wrong. */
  const [refused, setRefused] = useState<string | null>(null)
  /**
   * The action the host is doing now: its button says so, and neither button starts another.
   * Outcomes (success too) are this card's status message.
   */
  const [doing, setDoing] = useState<'save' | 'test' | null>(null)
  // The saved settings arrive after the first render: fill the form once they do, unless it holds
  // edits of this person's (then they stay, measured against the new settings).
  const savedKey = JSON.stringify(saved?.config ?? null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: refill when the stored settings change
  useEffect(() => {
    const before = JSON.stringify(stored.current)
    const fill = toFormValues(d.kind, saved?.config)
    stored.current = fill
    setValues((now) => (JSON.stringify(now) === before ? fill : now))
  }, [savedKey, d.kind])

  const set = (k: string, v: string | boolean) => setValues((f) => ({ ...f, [k]: v }))
  const secretSet = (k: string) => secretIsSet(saved?.config, k)
  const problemsNow = (): SettingsProblems => settingsProblems(d.kind, toConfig(d.kind, values), secretSet)
  const problems = checked ? problemsNow() : {}
  const refusedFields = (found: SettingsProblems) =>
    spec.form.flat().filter((f) => found[f.key] !== undefined)
  // Names the fields still marked, so it shrinks as they are put right and goes once none is left.
  const stillRefused = refused ? refusedFields(problems).map((f) => f.label) : []
  const fieldsMessage: typeof message =
    stillRefused.length > 0
      ? {
          kind: 'error',
          text: `Nothing was ${refused}: check ${stillRefused.length === 1 ? 'the field' : `${stillRefused.length} fields`} marked above (${stillRefused.join(', ')}).`,
        }
      : null
  /**
   * Before anything goes to the host: the fields it would refuse are marked, each with what it
   * needs, the focus goes to the first of them, and the status names them. False when there are some.
   */
  const fieldsValid = (action: string): boolean => {
    const fields = refusedFields(problemsNow())
    if (fields.length === 0) {
      setRefused(null)
      return true
    }
    setChecked(true)
    setRefused(action)
    setMessage(null)
    // After the render that marks them.
    requestAnimationFrame(() => document.getElementById(fieldControlId(fieldsBase, fields[0]!.key))?.focus())
    return false
  }
  const ids = { workspaceId: session.entry.id, destinationId: d.id }
  const withHost = async (
    missing: string,
    action: (host: NonNullable<ReturnType<typeof getHost>>) => Promise<void>,
  ) => {
    const host = getHost()
    if (!host) return setMessage({ kind: 'error', text: missing })
    await attempt(() => action(host).then(() => undefined))
  }
  // Not `disabled` while busy: a disabled button drops the keyboard focus to the page.
  const once = (which: 'save' | 'test', action: () => false | Promise<void>) => async () => {
    if (doing) return
    setDoing(which)
    try {
      await action()
    } finally {
      setDoing(null)
    }
  }

  const save = () =>
    fieldsValid('saved') &&
    withHost('There is no host to keep local settings in.', async (host) => {
      await host.saveDestinationSettings({ ...ids, config: toConfig(d.kind, values) })
      // Saved: the form shows the settings as stored (a secret as "set", its field blank), and
      // holds no edits of the person's any more, whether or not the stored settings look changed.
      const fill = toFormValues(d.kind, toConfig(d.kind, values))
      stored.current = fill
      setValues(fill)
      await local.refresh()
      setMessage({ kind: 'ok', text: `Saved the settings for “${d.name}” on this machine.` })
    })
  const test = () =>
    fieldsValid('tested') &&
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
      {kept && !pristine && (
        <p className="st-note" role="status">
          Your changes from before are still here, not saved yet: Save on this machine keeps them, Discard
          changes drops them.
        </p>
      )}
      <DestinationFields
        rows={spec.form}
        values={values}
        set={set}
        secretSet={secretSet}
        onGenerate={() => void generate()}
        problems={problems}
        base={fieldsBase}
      />
      <div className="st-row">
        <button
          type="button"
          className="st-primary"
          aria-disabled={doing !== null || undefined}
          onClick={() => void once('save', save)()}
        >
          {doing === 'save' ? 'Saving…' : 'Save on this machine'}
        </button>
        <button
          type="button"
          aria-disabled={doing !== null || undefined}
          onClick={() => void once('test', test)()}
          aria-describedby={testNoteId}
        >
          {doing === 'test' ? 'Testing…' : 'Test'}
        </button>
        {!pristine && (
          <button
            type="button"
            onClick={() => {
              setValues(stored.current)
              setChecked(false)
              setRefused(null)
              setMessage(null)
            }}
          >
            Discard changes
          </button>
        )}
        {saved && (
          <button type="button" onClick={() => void forget()}>
            Remove local settings
          </button>
        )}
      </div>
      <p id={testNoteId} className="st-note">
        {spec.testNote}
      </p>
      <StatusMessage message={fieldsMessage ?? message} />
    </fieldset>
  )
}
