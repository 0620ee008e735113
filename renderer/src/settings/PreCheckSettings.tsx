/**
 * Settings → output type → "Automatic checks": banned and required phrases, length limits, the
 * placeholder and link checks, detectors with their escalation, and auto-approval (low risk only).
 * Edits the type form's draft; the form's Save writes it with the rest of the type.
 */
import { useEffect, useId, useState } from 'react'
import type { OutputType } from '../../../shared/domain/types.ts'
import {
  cleanPhrases,
  DETECTOR_KINDS,
  type DetectorConfig,
  type DetectorKind,
  defaultPreChecks,
  type PreCheckConfig,
} from '../../../shared/prechecks/config.ts'
import { autoApproveUnavailable, policySentence } from '../../../shared/prechecks/policy.ts'
import type { TypeDraft, TypeEdit, TypeErrors } from './type-form.ts'

/** The length limits, each a number field of its own. */
const LIMITS = [
  ['minChars', 'Minimum characters'],
  ['maxChars', 'Maximum characters'],
] as const

const DETECTOR_LABEL: Record<DetectorKind, string> = {
  price: 'Prices and currency amounts',
  percentage: 'Percentages',
  date: 'Dates',
  email: 'E-mail addresses',
  phone: 'Phone numbers',
  competitor: 'Mentions of competitors',
}

interface Props {
  draft: TypeDraft
  /** All the workspace's types, for "escalate to". */
  types: readonly OutputType[]
  errors: TypeErrors
  dispatch: (edit: TypeEdit) => void
}

/** A list edited as lines of text; keeps the person's own text while it means the same list. */
function PhraseList({
  label,
  hint,
  value,
  onChange,
}: {
  label: string
  hint: string
  value: readonly string[]
  onChange: (v: string[]) => void
}) {
  const id = useId()
  const [text, setText] = useState(value.join('\n'))
  useEffect(() => {
    setText((t) => (cleanPhrases(t.split('\n')).join('\n') === value.join('\n') ? t : value.join('\n')))
  }, [value])
  return (
    <label className="st-field">
      <span>{label}</span>
      <textarea
        rows={3}
        value={text}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value)
          onChange(cleanPhrases(e.target.value.split('\n')))
        }}
      />
      <span id={`${id}-hint`} className="st-note">
        {hint}
      </span>
    </label>
  )
}

/**
 * A length limit as typed: empty or 0 is no limit; anything but a whole number is NaN, which the
 * form's check refuses with a message (see validateType), instead of saving "no limit" while
 * the field still shows "-5". A number field reports text it cannot read as "".
 */
function limitOf(text: string): number | undefined {
  if (!text.trim()) return undefined
  if (!/^\s*\d+\s*$/.test(text)) return Number.NaN
  return Number(text) > 0 ? Number(text) : undefined
}

/** A length limit's number field (see limitOf). */
function LimitField({
  label,
  value,
  invalid,
  describedBy,
  onChange,
}: {
  label: string
  value: number | undefined
  invalid: boolean
  describedBy: string | undefined
  onChange: (v: number | undefined) => void
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value))
  useEffect(() => {
    // What was typed stays while it means `value` (NaN: it is no whole number, and says so).
    setText((t) =>
      Object.is(limitOf(t), value) || Number.isNaN(value) ? t : value === undefined ? '' : String(value),
    )
  }, [value])
  return (
    <label className="st-field st-narrow">
      <span>{label}</span>
      <input
        type="number"
        min={0}
        step={1}
        value={text}
        {...(invalid ? { 'aria-invalid': true as const, 'aria-describedby': describedBy } : {})}
        onChange={(e) => {
          setText(e.target.value)
          onChange(limitOf(e.target.value))
        }}
        // Text the field cannot read as a number ("-", "1e") reads as "", and React reports no
        // change for it: it is no limit only when the field is really empty.
        onInput={(e) => {
          if (e.currentTarget.validity.badInput) onChange(Number.NaN)
        }}
      />
    </label>
  )
}

export function PreCheckSettings({ draft, types, errors, dispatch }: Props) {
  const base = useId()
  const config = draft.prechecks
  if (!config)
    return (
      <fieldset className="st-group">
        <legend>Automatic checks</legend>
        <p className="st-note">
          This type has no automatic checks. They run on every change and show above the checklist.
        </p>
        <button type="button" onClick={() => dispatch({ kind: 'prechecks', value: defaultPreChecks() })}>
          Add automatic checks
        </button>
      </fieldset>
    )
  const set = (patch: Partial<PreCheckConfig>) => {
    const next: PreCheckConfig = { ...config, ...patch }
    // An absent limit is no limit: drop the key rather than store undefined in the document.
    if (next.minChars === undefined) delete next.minChars
    if (next.maxChars === undefined) delete next.maxChars
    dispatch({ kind: 'prechecks', value: next })
  }
  const detector = (kind: DetectorKind) => config.detectors.find((d) => d.kind === kind)
  const setDetector = (kind: DetectorKind, d: DetectorConfig | null) => {
    // Keep the canonical order, so saving an unchanged set writes nothing.
    const others = config.detectors.filter((x) => x.kind !== kind)
    const list = d ? [...others, d] : others
    set({ detectors: DETECTOR_KINDS.flatMap((k) => list.filter((x) => x.kind === k)) })
  }
  const targets = types.filter((t) => t.id !== draft.id)
  const autoBlocked = autoApproveUnavailable({ risk: draft.risk })
  const lengthError =
    errors['prechecks.minChars'] ?? errors['prechecks.maxChars'] ?? errors['prechecks.length']
  return (
    <fieldset className="st-group">
      <legend>Automatic checks</legend>
      <p className="st-note">
        They run on every change and show above the checklist. A failed check holds approval; a detector that
        finds something can raise the review this output needs.
      </p>
      <PhraseList
        label="Banned words and phrases (one per line)"
        hint="Whole words, any case. Finding one fails the check."
        value={config.banned}
        onChange={(banned) => set({ banned })}
      />
      <PhraseList
        label="Required phrases (one per line)"
        hint="For example a disclaimer. Each must appear somewhere, in any case."
        value={config.required}
        onChange={(required) => set({ required })}
      />
      <div className="st-row">
        {LIMITS.map(([key, label]) => (
          <LimitField
            key={key}
            label={label}
            value={config[key]}
            invalid={!!(errors[`prechecks.${key}`] ?? errors['prechecks.length'])}
            describedBy={`${base}-length`}
            onChange={(limit) => set({ [key]: limit })}
          />
        ))}
      </div>
      {lengthError && (
        <span id={`${base}-length`} className="st-error">
          {lengthError}
        </span>
      )}
      <label className="st-choice">
        <input
          type="checkbox"
          checked={config.placeholders}
          onChange={(e) => set({ placeholders: e.target.checked })}
        />
        Placeholders and AI leftovers (“As an AI language model”, “[insert …]”, “lorem ipsum”, “TODO”)
      </label>
      <label className="st-choice">
        <input type="checkbox" checked={config.links} onChange={(e) => set({ links: e.target.checked })} />
        Malformed links and links that are not https
      </label>

      <fieldset className="st-group st-inner">
        <legend>Detectors</legend>
        {DETECTOR_KINDS.map((kind) => (
          <DetectorRow
            key={kind}
            kind={kind}
            detector={detector(kind)}
            types={types}
            targets={targets}
            setDetector={setDetector}
          />
        ))}
      </fieldset>

      <label className="st-choice">
        <input
          type="checkbox"
          checked={config.autoApprove && !autoBlocked}
          disabled={!!autoBlocked}
          aria-describedby={`${base}-auto`}
          onChange={(e) => set({ autoApprove: e.target.checked })}
        />
        Approve automatically when every check passes
      </label>
      <span id={`${base}-auto`} className="st-note">
        {autoBlocked ??
          'Counts as one approval, recorded in the trail; not when a check fails, a detector finds something or the content escalates.'}
      </span>
    </fieldset>
  )
}

/** One detector: on or off, what a finding escalates to, and a competitor list where it has one. */
function DetectorRow({
  kind,
  detector: d,
  types,
  targets,
  setDetector,
}: {
  kind: DetectorKind
  detector: DetectorConfig | undefined
  types: readonly OutputType[]
  targets: readonly OutputType[]
  setDetector: (kind: DetectorKind, d: DetectorConfig | null) => void
}) {
  const target = d?.escalateTo ? types.find((t) => t.id === d.escalateTo) : undefined
  return (
    <div className="st-item">
      <label className="st-choice">
        <input
          type="checkbox"
          checked={!!d}
          onChange={(e) =>
            setDetector(
              kind,
              e.target.checked ? { kind, ...(kind === 'competitor' ? { competitors: [] } : {}) } : null,
            )
          }
        />
        {DETECTOR_LABEL[kind]}
      </label>
      {d && (
        <>
          <label className="st-field">
            <span>When found, review it as</span>
            <select
              value={d.escalateTo ?? ''}
              onChange={(e) => {
                const { escalateTo: _old, ...rest } = d
                setDetector(kind, e.target.value ? { ...rest, escalateTo: e.target.value } : rest)
              }}
            >
              <option value="">This type (just show it)</option>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {`${t.name}: ${policySentence(t)}`}
                </option>
              ))}
              {d.escalateTo && !target && <option value={d.escalateTo}>Unknown type (ignored)</option>}
            </select>
          </label>
          {kind === 'competitor' && (
            <PhraseList
              label="Competitors to look for (one per line)"
              hint="Whole words, any case."
              value={d.competitors ?? []}
              onChange={(competitors) => setDetector(kind, { ...d, competitors })}
            />
          )}
        </>
      )}
    </div>
  )
}
