import * as Y from 'yjs'

/**
 * Rows of one kind kept in a root Y.Map, each row a Y.Map of fields, so two members editing
 * different fields of the same row both keep their change. Rows are validated when read: the
 * document is shared with other peers and may hold anything.
 */
export class Table<T extends { id: string }> {
  readonly map: Y.Map<Y.Map<unknown>>
  readonly parse: (raw: Record<string, unknown>) => T | null
  /**
   * Rows as parsed since the document's last transaction (a board of 10,000 cards asks for its
   * types once a card). Emptied when any transaction starts, and not used inside one, so a read
   * never sees a row older than the document. The rows handed out are frozen: one is shared.
   */
  private readonly cache = new Map<string, T | null>()

  constructor(map: Y.Map<Y.Map<unknown>>, parse: (raw: Record<string, unknown>) => T | null) {
    this.map = map
    this.parse = parse
    map.doc?.on('beforeTransaction', () => this.cache.clear())
  }

  /** A row counts only under its own id: a peer cannot shadow another row by copying its id. */
  private read(id: string, row: unknown): T | null {
    if (!(row instanceof Y.Map)) return null
    const cacheable = this.map.doc !== null && this.map.doc._transaction === null
    if (cacheable) {
      const hit = this.cache.get(id)
      if (hit !== undefined) return hit
    }
    const parsed = this.parse(row.toJSON())
    const value = parsed && parsed.id === id ? deepFreeze(parsed) : null
    if (cacheable) this.cache.set(id, value)
    return value
  }

  get(id: string): T | undefined {
    return this.read(id, this.map.get(id)) ?? undefined
  }

  all(): T[] {
    const out: T[] = []
    for (const [key, row] of this.map.entries()) {
      const value = this.read(key, row)
      if (value) out.push(value)
    }
    return out
  }

  has(id: string): boolean {
    return this.map.has(id)
  }

  /** Insert or replace a whole row. Call inside a transaction. */
  put(row: T): void {
    const existing = this.map.get(row.id)
    const fields = Object.entries(row).filter(([, value]) => value !== undefined)
    if (!(existing instanceof Y.Map)) {
      this.map.set(row.id, new Y.Map<unknown>(fields))
      return
    }
    for (const key of [...existing.keys()])
      if (!(key in row) || row[key as keyof T] === undefined) existing.delete(key)
    for (const [key, value] of fields) if (!sameJson(existing.get(key), value)) existing.set(key, value)
  }

  /** Change some fields of an existing row; returns false when there is no such row. */
  patch(id: string, fields: Partial<Omit<T, 'id'>>): boolean {
    const row = this.map.get(id)
    if (!(row instanceof Y.Map)) return false
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) row.delete(key)
      else if (!sameJson(row.get(key), value)) row.set(key, value)
    }
    return true
  }

  delete(id: string): void {
    this.map.delete(id)
  }
}

/** Field values are JSON; skip writes that change nothing so the update log stays quiet. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Freeze a parsed value and everything in it: values read from the document are shared. */
export function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  for (const v of Object.values(value)) deepFreeze(v)
  return Object.freeze(value)
}
