/**
 * The automatic pre-checks: pure functions of the content and the type's config, so every peer
 * computes the same results. Each check is one linear scan: the patterns avoid nested unbounded
 * quantifiers, and every unbounded run is anchored by a look-behind so a match can only start at
 * the beginning of a run (no quadratic rescans on adversarial input such as 50 KB of digits).
 */
import type { DetectorConfig, DetectorKind, PreCheckConfig } from './config.ts'

export type PreCheckStatus = 'pass' | 'fail' | 'warn'

/** The kinds of check whose failure holds approval, like a failed send-back checklist item. */
export type BlockingCheckId = 'length' | 'banned' | 'required' | 'placeholders' | 'links'
export type PreCheckId = BlockingCheckId | `detector:${DetectorKind}`

export interface PreCheckMatch {
  text: string
  /** UTF-16 offset in the content. */
  index: number
}

export interface PreCheckResult {
  id: PreCheckId
  title: string
  status: PreCheckStatus
  detail: string
  /** The first matches (at most MAX_MATCHES), in content order. */
  matches?: PreCheckMatch[]
  /** Set when a detector fired and its config escalates to another type's policy. */
  escalateTo?: string
}

export const MAX_MATCHES = 20

const BOUNDARY_BEFORE = String.raw`(?<![\p{L}\p{N}_])`
const BOUNDARY_AFTER = String.raw`(?![\p{L}\p{N}_])`

/** Escape for a `u`-mode pattern (where only syntax characters may be escaped); ' also matches ’. */
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/['’]/g, "['’]")

/**
 * One regex for a list of phrases: whole words, case-insensitive (Unicode simple case folding),
 * any run of white space between words. Longest first, so "as an AI" beats "AI".
 */
export function phraseRegex(phrases: readonly string[]): RegExp | null {
  const parts = phrases
    .map((p) => p.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(/\s+/u).map(escapeRe).join(String.raw`\s+`))
  if (parts.length === 0) return null
  return new RegExp(`${BOUNDARY_BEFORE}(?:${parts.join('|')})${BOUNDARY_AFTER}`, 'giu')
}

/** Every match of a global regex, with a cap on what is kept; `keep` may drop or trim a match. */
function scan(
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

const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”`
const listed = (ms: readonly PreCheckMatch[], count: number, max = 3) => {
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

// ---------------------------------------------------------------------------------------------
// Placeholders and AI tells

const TELLS = new RegExp(
  `${BOUNDARY_BEFORE}(?:${[
    String.raw`as an ai\s+(?:language\s+model|model|assistant|chatbot)`,
    String.raw`as a (?:large\s+)?language\s+model`,
    String.raw`(?:my|the)\s+(?:last\s+)?knowledge\s+cut-?off`,
    String.raw`i (?:cannot|can't|can’t|am unable to)\s+(?:browse|access)\s+(?:the\s+)?(?:internet|real-time)`,
    String.raw`regenerate\s+response`,
    String.raw`lorem\s+ipsum`,
  ].join('|')})${BOUNDARY_AFTER}|${[
    String.raw`\[\s?(?:insert|your|add|enter|placeholder|company|client|customer|name|link|url|date|todo|tbd)\b[^\]\n]{0,100}\]`,
    String.raw`<\s?(?:insert|your)\b[^>\n]{0,100}>`,
    String.raw`\{\{[^{}\n]{0,100}\}\}`,
  ].join('|')}`,
  'giu',
)
/** Case-sensitive: "todo" is Spanish for "all"; "TODO" is a leftover. */
const MARKERS = new RegExp(`${BOUNDARY_BEFORE}(?:TODO|FIXME|TBD|TKTK|XXX)${BOUNDARY_AFTER}`, 'gu')

function checkPlaceholders(content: string): PreCheckResult {
  const a = scan(TELLS, content)
  const b = scan(MARKERS, content)
  const matches = [...a.matches, ...b.matches].sort((x, y) => x.index - y.index).slice(0, MAX_MATCHES)
  const count = a.count + b.count
  return {
    id: 'placeholders',
    title: 'No placeholders or AI leftovers',
    status: count > 0 ? 'fail' : 'pass',
    detail:
      count > 0
        ? `Found ${count === 1 ? 'a leftover' : `${count} leftovers`}: ${listed(matches, count)}.`
        : 'No placeholders, “TODO”s or AI boilerplate found.',
    ...(count > 0 ? { matches } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// Links

/** A scheme-like word (including typos such as "htps") and what follows it up to white space. */
const LINK = /(?<![\p{L}\p{N}_])(h?t{1,2}ps?)(:?)(\/{0,3})([^\s<>"'`()[\]{}]*)/giu
/** Markdown links with an empty target or a target without a scheme ("](www.…"). */
const MD_LINK = /\]\(\s*(?:\)|www\.)/gu
const TRAILING = /[.,;:!?*_’”»]+$/u
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

export function validHost(authority: string): boolean {
  const at = authority.lastIndexOf('@')
  let host = at >= 0 ? authority.slice(at + 1) : authority
  const port = /:(\d{1,5})$/.exec(host)
  if (port) host = host.slice(0, port.index)
  if (!host || host.length > 253) return false
  if (host.toLowerCase() === 'localhost' || IPV4.test(host)) return true
  const labels = host.split('.')
  if (labels.length < 2) return false
  const tld = labels[labels.length - 1]!
  return labels.every((l) => LABEL.test(l)) && TLD.test(tld)
}

function checkLinks(content: string): PreCheckResult {
  let insecure = 0
  let malformed = 0
  const found = scan(LINK, content, (m) => {
    const scheme = m[1]!.toLowerCase()
    const colon = m[2]!
    const slashes = m[3]!
    const rest = m[4]!.replace(TRAILING, '')
    // A plain word ("http", "tips") is not a link attempt; a colon or slashes make it one.
    if (!slashes && !(colon && scheme.startsWith('h') && rest)) return null
    const text = `${m[1]}${colon}${slashes}${rest}`
    const authority = rest.split(/[/?#]/u, 1)[0] ?? ''
    if ((scheme === 'https' || scheme === 'http') && colon && slashes === '//' && validHost(authority)) {
      if (scheme === 'https') return null
      insecure += 1
      return { text, index: m.index }
    }
    malformed += 1
    return { text, index: m.index }
  })
  const md = scan(MD_LINK, content)
  malformed += md.count
  const matches = [...found.matches, ...md.matches].sort((x, y) => x.index - y.index).slice(0, MAX_MATCHES)
  const count = found.count + md.count
  const parts: string[] = []
  if (malformed > 0) parts.push(`${malformed} malformed`)
  if (insecure > 0) parts.push(`${insecure} not https`)
  return {
    id: 'links',
    title: 'Links are well-formed and https',
    status: count > 0 ? 'fail' : 'pass',
    detail:
      count > 0
        ? `${parts.join(', ')}: ${listed(matches, count)}.`
        : 'Every link is a well-formed https address.',
    ...(count > 0 ? { matches } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// Detectors: what raises the risk of a text

const MONTHS = [
  'jan(?:uary)?',
  'feb(?:ruary)?',
  'mar(?:ch)?',
  'apr(?:il)?',
  'may',
  'june?',
  'july?',
  'aug(?:ust)?',
  'sep(?:t|tember)?',
  'oct(?:ober)?',
  'nov(?:ember)?',
  'dec(?:ember)?',
  // A few non-English names teams write in.
  'januar',
  'februar',
  'märz',
  'mai',
  'juni',
  'juli',
  'oktober',
  'dezember',
  'janvier',
  'février',
  'mars',
  'avril',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
].join('|')
const M_END = String.raw`(?![\p{L}])\.?`
const YEAR = String.raw`(?:,?\s{1,3}\d{4}(?!\d))?`

const CODES = 'USD|EUR|GBP|CHF|JPY|CAD|AUD|NZD|INR|SEK|NOK|DKK|PLN|CZK|BRL|MXN|CNY|HKD|SGD|ZAR'
const SYMBOLS = '$€£¥₹₩₽₺₪₫฿₱¢'

const DETECTOR_RE: Record<Exclude<DetectorKind, 'competitor'>, RegExp> = {
  price: new RegExp(
    [
      // €29, $ 1,200.50, US$5, CHF 30
      String.raw`(?:[${SYMBOLS}]|(?<![\p{L}\p{N}])(?:US\$|A\$|C\$|NZ\$|${CODES})(?![\p{L}]))\s?-?\d[\d,.]*`,
      // 29 €, 30 EUR, 10 dollars
      String.raw`(?<![\d.,\p{L}])\d[\d,.]*\s?(?:[${SYMBOLS}]|(?:${CODES}|dollars?|euros?|pounds? sterling|yen|francs?)(?![\p{L}]))`,
    ].join('|'),
    'giu',
  ),
  percentage: /(?<![\d.,\p{L}])\d[\d,.]*\s?(?:[%٪‰]|(?:percent|per\s?cent|pct)(?![\p{L}]))/giu,
  date: new RegExp(
    [
      String.raw`(?<![\d.\-/])\d{4}-\d{1,2}-\d{1,2}(?![\d\-/])`,
      String.raw`(?<![\d.\-/])\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?![\d.\-/]\d)`,
      String.raw`(?<![\p{L}])(?:${MONTHS})${M_END}\s{1,3}\d{1,2}(?:st|nd|rd|th)?(?![\p{L}\p{N}])${YEAR}`,
      String.raw`(?<![\p{L}\p{N}])\d{1,2}(?:st|nd|rd|th)?\.?\s{1,3}(?:of\s{1,3})?(?:${MONTHS})${M_END}${YEAR}`,
      String.raw`(?<![\p{L}])(?:${MONTHS})${M_END}\s{1,3}\d{4}(?!\d)`,
      String.raw`(?<![\p{L}\p{N}])Q[1-4]\s?\d{4}(?!\d)`,
    ].join('|'),
    'giu',
  ),
  email: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
  phone: new RegExp(
    [
      String.raw`(?<![\p{L}\p{N}_+.,/-])\+\d{7,15}(?!\d)`,
      String.raw`(?<![\p{L}\p{N}_+.,/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\p{L}\p{N}_])`,
    ].join('|'),
    'gu',
  ),
}

const DATE_LIKE = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$/
const YEAR_GROUP = /^(?:19|20)\d\d$/

/** Drop number runs that are not phone numbers: dates, lists of years, thousand separators. */
function phoneLike(text: string): boolean {
  const digits = text.replace(/\D/g, '').length
  if (digits < 7 || digits > 15) return false
  if (DATE_LIKE.test(text)) return false
  if (text.startsWith('+') || text.startsWith('(')) return true
  const groups = text.split(/[\s.-]+/u)
  if (groups.every((g) => YEAR_GROUP.test(g))) return false
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(text)) return false
  return true
}

const DETECTOR_TITLE: Record<DetectorKind, string> = {
  price: 'Prices and amounts',
  percentage: 'Percentages',
  date: 'Dates',
  email: 'E-mail addresses',
  phone: 'Phone numbers',
  competitor: 'Competitor names',
}
/** "Mentions a price", for the result and the escalation sentence. */
export const DETECTOR_NOUN: Record<DetectorKind, string> = {
  price: 'a price',
  percentage: 'a percentage',
  date: 'a date',
  email: 'an e-mail address',
  phone: 'a phone number',
  competitor: 'a competitor',
}

function runDetector(content: string, d: DetectorConfig): PreCheckResult {
  let found: { matches: PreCheckMatch[]; count: number }
  if (d.kind === 'competitor') {
    const re = phraseRegex(d.competitors ?? [])
    if (!re)
      return {
        id: 'detector:competitor',
        title: DETECTOR_TITLE.competitor,
        status: 'pass',
        detail: 'No competitor names are configured for this type.',
      }
    found = scan(re, content)
  } else {
    const trim = (m: RegExpExecArray): PreCheckMatch | null => {
      const text = m[0].replace(/[\s.,]+$/u, '')
      if (d.kind === 'phone' && !phoneLike(text)) return null
      return { text, index: m.index }
    }
    found = scan(DETECTOR_RE[d.kind], content, trim)
  }
  const { matches, count } = found
  const result: PreCheckResult = {
    id: `detector:${d.kind}`,
    title: DETECTOR_TITLE[d.kind],
    status: count > 0 ? 'warn' : 'pass',
    detail: count > 0 ? `Mentions ${DETECTOR_NOUN[d.kind]}: ${listed(matches, count)}.` : 'None found.',
  }
  if (count > 0) {
    result.matches = matches
    if (d.escalateTo) result.escalateTo = d.escalateTo
  }
  return result
}

// ---------------------------------------------------------------------------------------------

function checkLength(content: string, min: number | undefined, max: number | undefined): PreCheckResult {
  const n = countChars(content)
  const range =
    min !== undefined && max !== undefined
      ? `${min}–${max}`
      : min !== undefined
        ? `at least ${min}`
        : `at most ${max}`
  const tooShort = min !== undefined && n < min
  const tooLong = max !== undefined && n > max
  return {
    id: 'length',
    title: 'Length',
    status: tooShort || tooLong ? 'fail' : 'pass',
    detail: `${n} characters; allowed: ${range}.${tooShort ? ` ${min! - n} too short.` : ''}${tooLong ? ` ${n - max!} too long.` : ''}`,
  }
}

function checkBanned(content: string, banned: readonly string[]): PreCheckResult {
  const { matches, count } = scan(phraseRegex(banned)!, content)
  return {
    id: 'banned',
    title: 'No banned words',
    status: count > 0 ? 'fail' : 'pass',
    detail:
      count > 0 ? `Uses banned wording: ${listed(matches, count)}.` : 'None of the banned words appear.',
    ...(count > 0 ? { matches } : {}),
  }
}

function checkRequired(content: string, required: readonly string[]): PreCheckResult {
  const missing: string[] = []
  const matches: PreCheckMatch[] = []
  for (const phrase of required) {
    const re = phraseRegex([phrase])!
    const m = re.exec(content)
    if (m) matches.push({ text: m[0], index: m.index })
    else missing.push(phrase)
  }
  return {
    id: 'required',
    title: 'Required wording present',
    status: missing.length > 0 ? 'fail' : 'pass',
    detail:
      missing.length > 0
        ? `Missing: ${missing.map(quote).join(', ')}.`
        : `Contains ${required.map(quote).join(', ')}.`,
    ...(matches.length > 0 ? { matches: matches.sort((a, b) => a.index - b.index) } : {}),
  }
}

/**
 * Run a type's pre-checks on one version of the content. Only configured checks produce a
 * result; the order is fixed (length, banned, required, placeholders, links, then detectors).
 */
export function runPreChecks(content: string, config: PreCheckConfig | undefined): PreCheckResult[] {
  if (!config) return []
  const out: PreCheckResult[] = []
  if (config.minChars !== undefined || config.maxChars !== undefined)
    out.push(checkLength(content, config.minChars, config.maxChars))
  if (config.banned.length > 0) out.push(checkBanned(content, config.banned))
  if (config.required.length > 0) out.push(checkRequired(content, config.required))
  if (config.placeholders) out.push(checkPlaceholders(content))
  if (config.links) out.push(checkLinks(content))
  for (const d of config.detectors) out.push(runDetector(content, d))
  return out
}

export const BLOCKING_CHECKS: readonly BlockingCheckId[] = [
  'length',
  'banned',
  'required',
  'placeholders',
  'links',
]

/** Titles of failed checks that hold approval. */
export function preCheckFailures(results: readonly PreCheckResult[]): string[] {
  return results.filter((r) => r.status === 'fail').map((r) => r.title)
}

/** A short, deterministic record of the results an auto-approval was given on. */
export function preCheckDigest(results: readonly PreCheckResult[]): string {
  return results.map((r) => `${r.id}=${r.status}`).join(';')
}
