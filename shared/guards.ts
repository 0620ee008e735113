/** Type guards for values that arrive from other peers or from disk, shared by every hand reader. */
export type Raw = Record<string, unknown>

export const isStr = (v: unknown): v is string => typeof v === 'string'
/** A finite number (no NaN or Infinity). */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
/** A plain object: not null, not an array. */
export const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v)
/** The strings of a list, or none. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isStr) : [])
