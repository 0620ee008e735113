/**
 * Typed transaction origins. They decide what undo tracks (only the local person's own edits),
 * what the trace records, and which echoes persistence ignores. Origins are compared by
 * identity (Y.UndoManager's trackedOrigins), so the local one is cached per member.
 */
export type Origin =
  | { readonly kind: 'local'; readonly memberId: string }
  | { readonly kind: 'remote' }
  | { readonly kind: 'restore'; readonly memberId: string }
  | { readonly kind: 'import'; readonly source: string }
  | { readonly kind: 'migration'; readonly version: number }

const locals = new Map<string, Origin>()

export function localOrigin(memberId: string): Origin {
  let origin = locals.get(memberId)
  if (!origin) {
    origin = Object.freeze({ kind: 'local', memberId })
    locals.set(memberId, origin)
  }
  return origin
}

export const REMOTE: Origin = Object.freeze({ kind: 'remote' })

export const restoreOrigin = (memberId: string): Origin => Object.freeze({ kind: 'restore', memberId })
export const migrationOrigin = (version: number): Origin => Object.freeze({ kind: 'migration', version })

export function isOrigin(value: unknown): value is Origin {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string'
}
