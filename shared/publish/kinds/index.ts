/**
 * The registry of destination kinds. A kind is one module beside this file (and one in
 * electron/host/publish/kinds/ that publishes to it); everything else is derived from the list.
 */
import { z } from 'zod'
import { emailKind } from './email.ts'
import { folderKind } from './folder.ts'
import { gitKind } from './git.ts'
import type { DestinationKindSpec } from './spec.ts'
import { webhookKind } from './webhook.ts'

const KINDS = [folderKind, gitKind, webhookKind, emailKind] as const

type Kinds = typeof KINDS
type SchemasOf<T extends readonly unknown[]> = {
  -readonly [I in keyof T]: T[I] extends { schema: infer S } ? S : never
}
export type DestinationKind = Kinds[number]['kind']
export const DESTINATION_KINDS: readonly DestinationKind[] = KINDS.map((k) => k.kind)

export const destinationConfigSchema = z.discriminatedUnion(
  'kind',
  KINDS.map((k) => k.schema) as unknown as SchemasOf<Kinds>,
)
export type DestinationConfig = z.infer<typeof destinationConfigSchema>
/** What a caller may pass: defaults filled in by the schema. */
export type DestinationConfigInput = z.input<typeof destinationConfigSchema>
export type ConfigOf<K extends DestinationKind> = Extract<DestinationConfig, { kind: K }>

const byKind = new Map<string, DestinationKindSpec>(KINDS.map((k) => [k.kind, k as DestinationKindSpec]))

export const isDestinationKind = (v: unknown): v is DestinationKind => typeof v === 'string' && byKind.has(v)

export function kindSpec(kind: DestinationKind): DestinationKindSpec {
  const spec = byKind.get(kind)
  if (!spec) throw new Error(`Unknown destination kind ${kind}`)
  return spec
}

/** Which fields of a kind are secrets, kept encrypted at rest and never shown back. */
export const secretFields = (kind: DestinationKind): readonly string[] => kindSpec(kind).secretFields

/** Whether published files of this kind sit on this machine and can drift. */
export const writesLocalFiles = (kind: DestinationKind | undefined): boolean =>
  kind !== undefined && isDestinationKind(kind) && kindSpec(kind).writesLocalFiles

export type { DestinationKindSpec, FormField, FormRows } from './spec.ts'
