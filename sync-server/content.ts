import * as Y from 'yjs'

export interface DocContent {
  /** Each top-level shared type as JSON (Y.Text as its string). */
  content: Record<string, unknown>
  /** The plain text of each top-level Y.Text. */
  text: Record<string, string>
}

/**
 * A relay does not know the app's schema, and a document loaded from updates has untyped
 * top-level entries. Their items tell what they are: string/format/embed content is a Y.Text,
 * other sequence content a Y.Array, keyed content a Y.Map.
 */
export function docContent(doc: Y.Doc): DocContent {
  const content: Record<string, unknown> = {}
  const text: Record<string, string> = {}
  for (const [name, type] of Array.from(doc.share.entries())) {
    const kind = kindOf(type)
    if (kind === 'text') {
      const t = doc.getText(name).toString()
      content[name] = t
      text[name] = t
    } else if (kind === 'array') {
      content[name] = doc.getArray(name).toJSON()
    } else {
      content[name] = doc.getMap(name).toJSON()
    }
  }
  return { content, text }
}

// biome-ignore lint/suspicious/noExplicitAny: doc.share holds untyped AbstractTypes
function kindOf(type: Y.AbstractType<any>): 'text' | 'array' | 'map' {
  if (type instanceof Y.Text) return 'text'
  if (type instanceof Y.Array) return 'array'
  if (type instanceof Y.Map) return 'map'
  for (let item = type._start; item !== null; item = item.right) {
    const c = item.content
    if (c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed)
      return 'text'
    if (!item.deleted) return 'array'
  }
  return type._start !== null ? 'text' : 'map'
}

/** The document as it was right after the update with sequence number `at`. */
export function contentAt(checkpoint: Uint8Array | undefined, updates: Uint8Array[]): DocContent {
  const doc = new Y.Doc()
  doc.transact(() => {
    if (checkpoint) Y.applyUpdate(doc, checkpoint)
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  const out = docContent(doc)
  doc.destroy()
  return out
}
