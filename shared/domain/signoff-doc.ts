import type * as Y from 'yjs'
import { isStr } from '../guards.ts'
import { type Migration, migrate } from './migrations.ts'
import type { Origin } from './origins.ts'

/**
 * What the workspace and output documents share: the Y.Doc, its `meta` map and the id kept there,
 * transactions tagged with who made them, and the document's schema migrations.
 */
export abstract class SignoffDoc {
  readonly doc: Y.Doc
  readonly meta: Y.Map<unknown>
  private readonly schema: { migrations: readonly Migration[]; kind: string }

  /**
   * `migrate: false` defers the schema migration until the local copy has loaded (call
   * `migrate()` then), so opening a document never writes before it knows what it holds.
   */
  protected constructor(
    doc: Y.Doc,
    schema: { migrations: readonly Migration[]; kind: string },
    options: { migrate?: boolean },
  ) {
    this.schema = schema
    if (options.migrate !== false) migrate(doc, schema.migrations, schema.kind)
    this.doc = doc
    this.meta = doc.getMap('meta')
  }

  transact(origin: Origin, fn: () => void): void {
    this.doc.transact(fn, origin)
  }

  migrate(): { from: number; to: number } {
    return migrate(this.doc, this.schema.migrations, this.schema.kind)
  }

  get id(): string {
    const id = this.meta.get('id')
    return isStr(id) ? id : ''
  }
}
