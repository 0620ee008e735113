import * as Y from 'yjs'
import { migrationOrigin } from './origins.ts'
import { parseOutputType } from './parse.ts'
import { policyHash, policyOf } from './policies.ts'
import type { OutputType } from './types.ts'

/**
 * Numbered schema migrations, one list per document kind, starting from version 1. A document's
 * version lives in its `meta` map. Migrations must be idempotent and merge-safe: two members may
 * migrate copies of the same document offline, and both results merge.
 */
export interface Migration {
  version: number
  description: string
  up: (doc: Y.Doc) => void
}

export class NewerSchemaError extends Error {
  readonly found: number
  readonly supported: number
  constructor(kind: string, found: number, supported: number) {
    super(
      `This ${kind} was written by a newer Signoff (schema ${found}; this app understands up to ${supported}). Update Signoff to open it.`,
    )
    this.found = found
    this.supported = supported
  }
}

export function schemaVersion(doc: Y.Doc): number {
  const v = doc.getMap('meta').get('schemaVersion')
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0)
}

/** Bring a document up to the latest schema; returns the versions it went from and to. */
export function migrate(
  doc: Y.Doc,
  migrations: readonly Migration[],
  kind: string,
): { from: number; to: number } {
  const from = schemaVersion(doc)
  const latest = latestVersion(migrations)
  if (from > latest) throw new NewerSchemaError(kind, from, latest)
  const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version)
  for (const m of pending) {
    doc.transact(() => {
      m.up(doc)
      doc.getMap('meta').set('schemaVersion', m.version)
    }, migrationOrigin(m.version))
  }
  return { from, to: Math.max(from, latest) }
}

export const workspaceMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'Workspace document: meta, members, output types, destinations, output summaries.',
    up(doc) {
      const meta = doc.getMap('meta')
      if (!meta.has('kind')) meta.set('kind', 'signoff-workspace')
      doc.getMap('members')
      doc.getMap('types')
      doc.getMap('destinations')
      doc.getMap('outputs')
    },
  },
  {
    version: 2,
    description:
      'Policy versions: record the rules every output type holds now, so rounds submitted before versions existed are judged by them and not by later edits.',
    up(doc) {
      const types: OutputType[] = []
      for (const row of doc.getMap('types').values()) {
        if (!(row instanceof Y.Map)) continue
        const t = parseOutputType(row.toJSON())
        if (t) types.push(t)
      }
      const policies = doc.getMap('policies')
      const now = Date.now()
      for (const t of types) {
        const policy = policyOf(t, types)
        const hash = policyHash(policy)
        if (!policies.has(hash)) policies.set(hash, { name: t.name, policy, at: now, by: 'migration' })
      }
    },
  },
  {
    version: 3,
    description:
      'Summary rows as JSON text: Yjs decodes every string of a stored object one by one, keys included, so a 10,000-output board loaded four times slower than from one text per row.',
    up(doc) {
      // Two members migrating offline write the same text for each row: either one wins.
      const rows = doc.getMap('outputs')
      for (const [key, raw] of rows.entries())
        if (typeof raw === 'object' && raw !== null && !(raw instanceof Y.AbstractType))
          rows.set(key, JSON.stringify(raw))
    },
  },
]

export const outputMigrations: readonly Migration[] = [
  {
    version: 1,
    description:
      'Output document: meta, content text, trail of events, versions named by the trail, comments.',
    up(doc) {
      const meta = doc.getMap('meta')
      if (!meta.has('kind')) meta.set('kind', 'signoff-output')
      doc.getText('content')
      doc.getArray('trail')
      doc.getMap('versions')
      doc.getArray('comments')
    },
  },
]
