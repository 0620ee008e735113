/**
 * Canonical JSON: object keys sorted by UTF-16 code units at every level, no insignificant
 * whitespace (unless an indent is asked for), and only finite numbers. The same value always
 * gives the same bytes, so a manifest can be hashed and signed and checked again later.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return write(value, indent, '')
}

function write(value: unknown, indent: number, pad: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity')
      return JSON.stringify(value)
    case 'object': {
      const inner = indent > 0 ? pad + ' '.repeat(indent) : ''
      const nl = indent > 0 ? '\n' : ''
      const colon = indent > 0 ? ': ' : ':'
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]'
        const items = value.map((v) => inner + write(v === undefined ? null : v, indent, inner))
        return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`
      }
      const keys = Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
      if (keys.length === 0) return '{}'
      const items = keys.map(
        (k) =>
          inner + JSON.stringify(k) + colon + write((value as Record<string, unknown>)[k], indent, inner),
      )
      return `{${nl}${items.join(`,${nl}`)}${nl}${pad}}`
    }
    default:
      throw new Error(`canonical JSON cannot hold a ${typeof value}`)
  }
}
