/**
 * The scanning kit every check is built from. Each check is one linear scan: the patterns avoid
 * nested unbounded quantifiers, and every unbounded run is anchored by a look-behind so a match
 * can only start at the beginning of a run (no quadratic rescans on adversarial input such as
 * 50 KB of digits).
 */
import { MAX_MATCHES, type PreCheckMatch } from './result.ts'

export const BOUNDARY_BEFORE = String.raw`(?<![\p{L}\p{N}_])`
export const BOUNDARY_AFTER = String.raw`(?![\p{L}\p{N}_])`

/**
 * A letter as a class of its two cases (`a` → `[aA]`). V8's `i` flag with `u` folds case per
 * character at match time and is several times slower, so patterns spell their cases out.
 */
function caseClass(c: string): string {
  const lower = c.toLowerCase()
  const upper = c.toUpperCase()
  if (lower.length !== 1 || upper.length !== 1 || lower === upper) return c
  return `[${lower}${upper}]`
}

/** Make a `u`-mode pattern case-insensitive by spelling out cases outside classes and escapes. */
export function caseInsensitive(src: string): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '\\') {
      let j = i + 2
      if ((src[i + 1] === 'p' || src[i + 1] === 'P') && src[i + 2] === '{') j = src.indexOf('}', i) + 1
      out += src.slice(i, j)
      i = j - 1
    } else if (c === '[' && !inClass) {
      inClass = true
      out += c
    } else if (c === ']' && inClass) {
      inClass = false
      out += c
    } else out += inClass ? c : caseClass(c)
  }
  return out
}

/** One phrase as a literal pattern: any white space between words, ' also matches ’, any case. */
function literal(phrase: string): string {
  let out = ''
  for (const c of phrase) {
    if (/\s/u.test(c)) {
      if (!out.endsWith('\\s+')) out += '\\s+'
    } else if (c === "'" || c === '’') out += "['’]"
    else if (/[.*+?^${}()|[\]\\/]/.test(c)) out += `\\${c}`
    else out += caseClass(c)
  }
  return out
}

/**
 * One regex for a list of phrases: whole words, case-insensitive (Unicode simple case folding),
 * any run of white space between words. Longest first, so "as an AI" beats "AI".
 */
export function phraseRegex(phrases: readonly string[]): RegExp | null {
  const parts = phrases
    .map((p) => p.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map(literal)
  if (parts.length === 0) return null
  return new RegExp(`${BOUNDARY_BEFORE}(?:${parts.join('|')})${BOUNDARY_AFTER}`, 'gu')
}

/** Every match of a global regex, with a cap on what is kept; `keep` may drop or trim a match. */
export function scan(
  re: RegExp,
  content: string,
  keep: (m: RegExpExecArray) => PreCheckMatch | null = (m) => ({ text: m[0], index: m.index }),
): { matches: PreCheckMatch[]; count: number } {
  const matches: PreCheckMatch[] = []
  let count = 0
  re.lastIndex = 0
  for (let m = re.exec(content); m !== null; m = re.exec(content)) {
    if (m[0].length === 0) re.lastIndex += 1
    const kept = keep(m)
    if (!kept) continue
    count += 1
    if (matches.length < MAX_MATCHES) matches.push(kept)
  }
  return { matches, count }
}

export const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”`
export const listed = (ms: readonly PreCheckMatch[], count: number, max = 3) => {
  const uniq = [...new Set(ms.map((m) => m.text))]
  const shown = uniq.slice(0, max).map(quote).join(', ')
  return count > max ? `${shown} (${count} in all)` : shown
}

/** Characters as a person counts them: Unicode code points, not UTF-16 units. */
export function countChars(content: string): number {
  let n = content.length
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = content.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n -= 1
        i += 1
      }
    }
  }
  return n
}

/**
 * A value built on first use and kept: the patterns here are spelled out case by case when built,
 * ~7 ms that every window paid at start for checks it runs only when an output is opened.
 */
export function builtOnce<T>(build: () => T): () => T {
  let value: { v: T } | undefined
  return () => {
    if (!value) value = { v: build() }
    return value.v
  }
}
