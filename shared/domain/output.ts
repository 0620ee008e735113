import type * as Y from 'yjs'
import { f, optional, readFields } from '../fields.ts'
import { isObj, isStr, strings } from '../guards.ts'
import { contentHash } from './hash.ts'
import { outputMigrations } from './migrations.ts'
import { chainLink, type EventSigner, signEvent } from './signing.ts'
import { SignoffDoc } from './signoff-doc.ts'
import type { TrailEvent } from './trail.ts'
import { type OutputMeta, TITLE_MAX } from './types.ts'

/** Output metadata as stored in the `meta` map; junk reads as the defaults. */
const META = {
  workspaceId: f.str(),
  title: f.str(),
  typeId: f.str(),
  authorId: f.str(),
  dueDate: optional(f.str()),
  createdAt: f.num(),
}
const META_DEFAULTS = { workspaceId: '', title: 'Untitled', typeId: '', authorId: '', createdAt: 0 }
const SOURCE = { model: optional(f.str()), tool: optional(f.str()), prompt: optional(f.str()) }

/** Typed access to one output document: meta, content (Y.Text), trail (append-only Y.Array). */
export class OutputDoc extends SignoffDoc {
  readonly content: Y.Text
  readonly trail: Y.Array<unknown>
  /** The content of every version an event judged or shipped, keyed by its hash. */
  readonly versions: Y.Map<unknown>

  /** `migrate: false`: see SignoffDoc. */
  constructor(doc: Y.Doc, options: { migrate?: boolean } = {}) {
    super(doc, { migrations: outputMigrations, kind: 'output' }, options)
    this.content = doc.getText('content')
    this.trail = doc.getArray('trail')
    this.versions = doc.getMap('versions')
  }

  text(): string {
    return this.content.toString()
  }

  hash(): string {
    return contentHash(this.content.toString())
  }

  readMeta(): OutputMeta {
    const m = this.meta
    const source = m.get('source')
    const fields = readFields(META, (k) => m.get(k), META_DEFAULTS)
    return {
      id: this.id,
      ...fields,
      // As renameOutput writes it: a peer's title of megabytes would be on every card.
      title: fields.title.slice(0, TITLE_MAX),
      source: isObj(source) ? readFields(SOURCE, (k) => source[k], {}) : {},
      assignees: strings(m.get('assignees')),
      tags: strings(m.get('tags')),
    }
  }

  /** Keep the current content as an immutable version. Call inside a transaction. */
  keepVersion(): string {
    const text = this.content.toString()
    const hash = contentHash(text)
    if (!this.versions.has(hash)) this.versions.set(hash, text)
    return hash
  }

  /** The exact bytes of a version, checked against its hash; undefined when unknown or altered. */
  version(hash: string): string | undefined {
    const text = this.versions.get(hash)
    if (typeof text !== 'string') return undefined
    return contentHash(text) === hash ? text : undefined
  }

  /** The trail as raw values, for derivation (which validates each one). */
  rawTrail(): unknown[] {
    return this.trail.toArray()
  }

  /**
   * The trail is append-only: events are only ever pushed at the end, chained to the last event
   * and signed with the actor's device key when this device holds it. Call inside a transaction,
   * after the output's id and workspace are set.
   */
  append(event: TrailEvent, signer?: EventSigner): TrailEvent {
    let e: TrailEvent = event
    const last = this.trail.length > 0 ? this.trail.get(this.trail.length - 1) : undefined
    if (typeof last === 'object' && last !== null && typeof (last as { id?: unknown }).id === 'string')
      e = { ...e, prev: chainLink(last as { id: string }) }
    if (signer && signer.memberId === e.actor) e = signEvent(this.scope(), e, signer.key)
    this.trail.push([e])
    return e
  }

  /** What an event's signature binds it to. */
  scope(): { workspaceId: string; outputId: string } {
    const ws = this.meta.get('workspaceId')
    return { workspaceId: isStr(ws) ? ws : '', outputId: this.id }
  }

  /** The latest event that named a content hash (to tell whether the text changed since). */
  lastRecordedHash(): string | undefined {
    for (let i = this.trail.length - 1; i >= 0; i--) {
      const e = this.trail.get(i) as { contentHash?: unknown } | undefined
      if (e && isStr(e.contentHash)) return e.contentHash
    }
    return undefined
  }
}
