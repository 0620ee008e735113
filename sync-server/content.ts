import * as Y from 'yjs'
import { canonicalCopy } from '../shared/sync/digest.ts'

export interface DocContent {
  /** Each top-level shared type as JSON (Y.Text as its string). */
  content: Record<string, unknown>
  /** The plain text of each top-level Y.Text. */
  text: Record<string, string>
  /**
   * Top-level entries that hold more than one kind of content (text, other list items, keys).
   * An app never writes such a thing; a hostile writer may, to make one view of the entry hide
   * what another shows. Every view is given here, so the trace hides nothing.
   */
  mixed?: Record<string, MixedContent>
}

export interface MixedContent {
  /** The string content, in order. */
  text?: string
  /** The non-string list items, in order. */
  items?: unknown[]
  /** The keyed entries. */
  entries?: Record<string, unknown>
}

type Kind = 'text' | 'array' | 'map'

/**
 * A relay does not know the app's schema, and a document loaded from updates has untyped
 * top-level entries. Their items tell what they are: string/format/embed content is a Y.Text,
 * other list content a Y.Array, keyed content a Y.Map. Every item is looked at (not only the
 * first), so an entry that holds several kinds is reported with all of them in `mixed`.
 */
export function docContent(doc: Y.Doc): DocContent {
  const content: Record<string, unknown> = {}
  const text: Record<string, string> = {}
  const mixed: Record<string, MixedContent> = {}
  for (const [name, type] of Array.from(doc.share.entries())) {
    const kinds = kindsOf(type)
    const kind: Kind = kinds.has('text')
      ? 'text'
      : kinds.has('array')
        ? 'array'
        : kinds.has('map')
          ? 'map'
          : 'text'
    if (kinds.size > 1) mixed[name] = allViews(type, kinds)
    if (kind === 'text') {
      const t = stringsOf(type)
      content[name] = t
      text[name] = t
    } else if (kind === 'array') {
      content[name] = itemsOf(type)
    } else {
      content[name] = entriesOf(type)
    }
  }
  return Object.keys(mixed).length > 0 ? { content, text, mixed } : { content, text }
}

// biome-ignore lint/suspicious/noExplicitAny: doc.share holds untyped AbstractTypes
type AnyType = Y.AbstractType<any>

const isTextContent = (c: unknown) =>
  c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed

function kindsOf(type: AnyType): Set<Kind> {
  const kinds = new Set<Kind>()
  if (type instanceof Y.Text) kinds.add('text')
  else if (type instanceof Y.Array) kinds.add('array')
  else if (type instanceof Y.Map) kinds.add('map')
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue
    kinds.add(isTextContent(item.content) ? 'text' : 'array')
  }
  for (const item of type._map.values()) {
    if (!item.deleted) {
      kinds.add('map')
      break
    }
  }
  // An entry whose items were all deleted: text if it ever held text, as before.
  if (kinds.size === 0) kinds.add(type._start !== null || type._map.size === 0 ? 'text' : 'map')
  return kinds
}

function stringsOf(type: AnyType): string {
  let out = ''
  for (let item = type._start; item !== null; item = item.right)
    if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str
  return out
}

function itemsOf(type: AnyType): unknown[] {
  const out: unknown[] = []
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted || isTextContent(item.content)) continue
    for (const v of item.content.getContent()) out.push(v instanceof Y.AbstractType ? v.toJSON() : v)
  }
  return out
}

function entriesOf(type: AnyType): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, item] of type._map) {
    if (item.deleted) continue
    const v = item.content.getContent()[item.length - 1]
    out[key] = v instanceof Y.AbstractType ? v.toJSON() : v
  }
  return out
}

function allViews(type: AnyType, kinds: Set<Kind>): MixedContent {
  return {
    ...(kinds.has('text') ? { text: stringsOf(type) } : {}),
    ...(kinds.has('array') ? { items: itemsOf(type) } : {}),
    ...(kinds.has('map') ? { entries: entriesOf(type) } : {}),
  }
}

/**
 * The document as it was right after the update with sequence number `at`, in its canonical
 * order: what a member joining then would have seen (shared/sync/digest.ts), whatever order the
 * relay's own copy took its updates in.
 */
export function contentAt(checkpoint: Uint8Array | undefined, updates: Uint8Array[]): DocContent {
  const doc = new Y.Doc()
  doc.transact(() => {
    if (checkpoint) Y.applyUpdate(doc, checkpoint)
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  const canonical = canonicalCopy(doc)
  doc.destroy()
  const out = docContent(canonical)
  canonical.destroy()
  return out
}
