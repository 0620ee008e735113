import * as random from 'lib0/random'

const ALPHABET = '0123456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'

/** A random id in the safe document-name alphabet (see docnames.ts): 16 characters, ~93 bits. */
export function newId(prefix = ''): string {
  let out = prefix
  for (let i = 0; i < 16; i++) out += ALPHABET[random.uint32() % ALPHABET.length]
  return out
}

/** A readable id from a name, for starter types: "Pricing update" → "pricing-update". */
export function slugId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
  return slug || 'item'
}
