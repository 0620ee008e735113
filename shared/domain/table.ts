import * as Y from 'yjs'

/**
 * Rows of one kind kept in a root Y.Map, each row a Y.Map of fields, so two members editing
 * different fields of the same row both keep their change. Rows are validated when read: the
 * document is shared with other peers and may hold anything.
 */
export class Table<T extends { id: string }> {
  readonly map: Y.Map<Y.Map<unknown>>
  readonly parse: (raw: Record<string, unknown>) => T | null

  constructor(map: Y.Map<Y.Map<unknown>>, parse: (raw: Record<string, unknown>) => T | null) {
    this.map = map
    this.parse = parse
  }

  get(id: string): T | undefined {
    const row = this.map.get(id)
    if (!(row instanceof Y.Map)) return undefined
    const parsed = this.parse(row.toJSON())
    // A row counts only under its own id: a peer cannot shadow another row by copying its id.
    return parsed && parsed.id === id ? parsed : undefined
  }

  all(): T[] {
    const out: T[] = []
    for (const [key, row] of this.map.entries()) {
      if (!(row instanceof Y.Map)) continue
      const parsed = this.parse(row.toJSON())
      if (parsed && parsed.id === key) out.push(parsed)
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
