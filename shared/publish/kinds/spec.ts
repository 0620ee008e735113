/**
 * What one destination kind declares about itself, in one place: the schema of its machine-local
 * settings, which of them are secrets, the settings form, and whether its published files can be
 * checked for drift. The registry (index.ts) derives the rest: the kind list, the union schema,
 * the secret fields, the form defaults and the form ↔ settings mapping.
 */
import type { z } from 'zod'

interface FieldBase {
  /** The settings key this field edits. */
  key: string
  /** The visible label, also the field's accessible name. */
  label: string
  /**
   * What a valid value is, as one sentence for the person filling in the form: shown at the field
   * when the schema refuses its value (a refinement's own message is shown instead, being more
   * precise). See problems.ts.
   */
  rule?: string
}

export type FormField =
  | (FieldBase & {
      type: 'text' | 'number'
      placeholder?: string
      /** Left out of the settings when empty, so the schema's default or absence applies. */
      optional?: boolean
    })
  | (FieldBase & {
      /** Never shown back; left out when empty, which keeps the stored secret. */
      type: 'secret'
      /** The placeholder when no secret is stored yet. */
      placeholder?: string
      /** Shown when a secret is stored, e.g. "Password: set". */
      setNote: string
      /** Offer a "Generate secret" button (the host makes a webhook secret). */
      generate?: boolean
    })
  | (FieldBase & { type: 'checkbox' })
  | (FieldBase & { type: 'select'; options: readonly { value: string; label: string }[] })
  /** A list of strings, edited as one comma-separated text. */
  | (FieldBase & { type: 'list' })
  /** A file name template, shown with an example name and its placeholders. */
  | (FieldBase & { type: 'template' })

/** The form, row by row: the fields of one row stand side by side. */
export type FormRows = readonly (readonly FormField[])[]

export interface DestinationKindSpec<
  K extends string = string,
  S extends z.ZodObject<{ kind: z.ZodLiteral<K> }> = z.ZodObject<{ kind: z.ZodLiteral<K> }>,
> {
  kind: K
  /** The kind's name in the settings, e.g. "Git repository". */
  label: string
  /** The machine-local settings; defaults fill what the user left out. */
  schema: S
  /** Fields kept encrypted at rest and never shown back. */
  secretFields: readonly (keyof z.input<S> & string)[]
  form: FormRows
  /** Whether it writes files on this machine that can change after publishing (the drift check). */
  writesLocalFiles: boolean
  /** What Settings → Test does for this kind, shown beside the button. */
  testNote: string
}

/** Declares a kind; only checks its shape. */
export const defineKind = <const K extends string, S extends z.ZodObject<{ kind: z.ZodLiteral<K> }>>(
  spec: DestinationKindSpec<K, S>,
): DestinationKindSpec<K, S> => spec
