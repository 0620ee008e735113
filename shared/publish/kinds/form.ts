/**
 * The settings form of any destination kind, as plain data: form values from stored (redacted)
 * settings, and settings from form values. Generated from the kind's declared fields.
 */
import { type DestinationKind, kindSpec } from './index.ts'
import type { FormField } from './spec.ts'

export type FormValues = Record<string, string | boolean>

export const formFields = (kind: DestinationKind): FormField[] => kindSpec(kind).form.flat()

/** The schema's default for a field, as the form shows it ('' or false where there is none). */
function fieldDefault(kind: DestinationKind, field: FormField): string | boolean {
  const shape = kindSpec(kind).schema.shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean; data?: unknown } }
  >
  const parsed = shape[field.key]?.safeParse(undefined)
  const v = parsed?.success ? parsed.data : undefined
  if (field.type === 'checkbox') return v === true
  if (field.type === 'secret') return ''
  return typeof v === 'string' || typeof v === 'number' ? String(v) : ''
}

/** Stored (redacted) settings back into form values; secrets are never echoed. */
export function toFormValues(kind: DestinationKind, config: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {}
  for (const field of formFields(kind)) {
    values[field.key] = fieldDefault(kind, field)
    const v = config?.[field.key]
    if (!config || field.type === 'secret') continue
    if (field.type === 'list' && Array.isArray(v)) values[field.key] = v.join(', ')
    else if (typeof v === 'boolean') values[field.key] = v
    else if (typeof v === 'string' || typeof v === 'number') values[field.key] = String(v)
  }
  return values
}

/** Form values into settings for the host to validate and keep. */
export function toConfig(kind: DestinationKind, values: FormValues): Record<string, unknown> {
  const config: Record<string, unknown> = { kind }
  for (const field of formFields(kind)) {
    const raw = values[field.key]
    const text = String(raw ?? '').trim()
    switch (field.type) {
      case 'checkbox':
        config[field.key] = raw === true
        break
      case 'number':
        // Empty takes the schema's default; text that is no number stays NaN, for the schema to refuse.
        if (text !== '') config[field.key] = Number(text)
        break
      case 'list':
        config[field.key] = text.split(/[,;\s]+/).filter(Boolean)
        break
      case 'secret':
        if (text) config[field.key] = text
        break
      default:
        if (text || !('optional' in field && field.optional)) config[field.key] = text
    }
  }
  return config
}

/** Whether a stored (redacted) setting says a secret is set. */
export const secretIsSet = (config: Record<string, unknown> | undefined, key: string): boolean => {
  const v = config?.[key]
  return typeof v === 'object' && v !== null && (v as { set?: boolean }).set === true
}
