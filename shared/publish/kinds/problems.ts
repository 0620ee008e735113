/**
 * What is wrong with a destination's machine-local settings, field by field, in words for the
 * person who typed them. The settings form shows each at its field before anything is sent to the
 * host; the host, which has the last word, refuses with the same words (config-store.ts).
 */
import { formFields } from './form.ts'
import { type DestinationKind, kindSpec } from './index.ts'

/** The settings key of each refused field → what a valid value is. Empty when all is well. */
export type SettingsProblems = Record<string, string>

/**
 * `config` as the form makes it (toConfig). A secret left out is refused only when none is stored
 * (`secretStored`): leaving it empty keeps the stored one.
 */
export function settingsProblems(
  kind: DestinationKind,
  config: Record<string, unknown>,
  secretStored: (key: string) => boolean = () => false,
): SettingsProblems {
  const spec = kindSpec(kind)
  const parsed = spec.schema.safeParse(config)
  if (parsed.success) return {}
  const fields = formFields(kind)
  const problems: SettingsProblems = {}
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '')
    if (problems[key] !== undefined) continue
    if (
      (spec.secretFields as readonly string[]).includes(key) &&
      config[key] === undefined &&
      secretStored(key)
    )
      continue
    const field = fields.find((f) => f.key === key)
    // A refinement says exactly what is wrong ("A webhook URL starts with http:// or https://.");
    // a bound or a type only that the value is outside the field's rule.
    problems[key] =
      issue.code === 'custom'
        ? issue.message
        : (field?.rule ?? `${field?.label ?? 'A setting'} is not valid.`)
  }
  return problems
}

/** The problems as one line, each after its field's label: for a message that has no fields to point at. */
export function describeProblems(kind: DestinationKind, problems: SettingsProblems): string {
  const fields = formFields(kind)
  return Object.entries(problems)
    .map(([key, message]) => `${fields.find((f) => f.key === key)?.label ?? key}: ${message}`)
    .join(' ')
}
