import type * as Y from 'yjs'
import { migrate, workspaceMigrations } from './migrations.ts'
import type { Origin } from './origins.ts'
import { parseDestination, parseMember, parseOutputType, parseSummary } from './parse.ts'
import { sameJson, Table } from './table.ts'
import type { Destination, Member, OutputSummary, OutputType } from './types.ts'

/**
 * Typed access to a workspace document: the index a board needs (members, output types,
 * destinations, one summary row per output). Every write goes through `transact` with an origin.
 */
export class Workspace {
  readonly doc: Y.Doc
  readonly members: Table<Member>
  readonly types: Table<OutputType>
  readonly destinations: Table<Destination>
  /** Summary rows are plain values: written whole, cheap to hold by the ten thousand. */
  readonly summaries: Y.Map<unknown>
  readonly meta: Y.Map<unknown>

  /**
   * `migrate: false` defers the schema migration until the local copy has loaded (call
   * `migrate()` then), so opening a document never writes before it knows what it holds.
   */
  constructor(doc: Y.Doc, options: { migrate?: boolean } = {}) {
    if (options.migrate !== false) migrate(doc, workspaceMigrations, 'workspace')
    this.doc = doc
    this.meta = doc.getMap('meta')
    this.members = new Table(doc.getMap('members'), parseMember)
    this.types = new Table(doc.getMap('types'), parseOutputType)
    this.destinations = new Table(doc.getMap('destinations'), parseDestination)
    this.summaries = doc.getMap('outputs')
  }

  transact(origin: Origin, fn: () => void): void {
    this.doc.transact(fn, origin)
  }

  migrate(): { from: number; to: number } {
    return migrate(this.doc, workspaceMigrations, 'workspace')
  }

  get id(): string {
    const id = this.meta.get('id')
    return typeof id === 'string' ? id : ''
  }

  get name(): string {
    const name = this.meta.get('name')
    return typeof name === 'string' ? name : 'Untitled workspace'
  }

  memberMap(): Map<string, Member> {
    return new Map(this.members.all().map((m) => [m.id, m]))
  }

  summary(outputId: string): OutputSummary | undefined {
    const s = parseSummary(this.summaries.get(outputId))
    return s && s.id === outputId ? s : undefined
  }

  allSummaries(): OutputSummary[] {
    const out: OutputSummary[] = []
    for (const [key, raw] of this.summaries.entries()) {
      const s = parseSummary(raw)
      if (s && s.id === key) out.push(s)
    }
    return out
  }

  /** Write a summary row if it changed. Call inside a transaction. */
  putSummary(summary: OutputSummary): void {
    if (!sameJson(this.summaries.get(summary.id), summary)) this.summaries.set(summary.id, summary)
  }

  setName(origin: Origin, name: string): void {
    const trimmed = name.trim().slice(0, 120)
    if (!trimmed) throw new Error('A workspace needs a name.')
    this.transact(origin, () => this.meta.set('name', trimmed))
  }
}
