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
  caseInsensitive(
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
  ),
  'gu',
)
/** Case-sensitive: "todo" is Spanish for "all"; "TODO" is a leftover. */
const MARKERS = new RegExp(`${BOUNDARY_BEFORE}(?:TODO|FIXME|TBD|TKTK|XXX)${BOUNDARY_AFTER}`, 'gu')

/**
 * Gaps a template or a model left to fill: `[PRICE]`, `[LAUNCH_DATE]` (capitals in brackets that
 * are not a Markdown link's text), `[citation needed]`/`[source]`, and merge fields in the styles
 * mail tools use: `{first_name}`, `{firstName}`, `*|FNAME|*`, `%FIRST_NAME%`.
 */
const GAPS = new RegExp(
  [
    String.raw`\[[A-Z][A-Z0-9]*(?:[ _-][A-Z0-9]+)*\](?![(\[:])`,
    caseInsensitive(String.raw`\[\s?(?:citation|source|reference|ref)s?(?:\s+needed)?\s?\]`),
    String.raw`(?<!\{)\{[A-Za-z][a-z0-9]*(?:_[A-Za-z0-9]+|[A-Z][a-z0-9]+)*\}(?!\})`,
    String.raw`\*\|[A-Z][A-Z0-9_]*\|\*`,
    '%[A-Z][A-Z0-9]*_[A-Z0-9_]*%',
  ].join('|'),
  'gu',
)

/** A front-matter block (`---`, `key: value` lines, `---`) left at the top of the content. */
const FRONT_MATTER =
  /^\uFEFF?---[ \t]*\r?\n(?:[ \t]*(?:#.*|[A-Za-z_][\w-]*[ \t]*:.*|-[ \t].*)?\r?\n)*?---[ \t]*(?:\r?\n|$)/u

/** Words a one-word `{field}` is a merge field for; other lone words in braces are left alone. */
const MERGE_WORDS = new Set(
  'name first last firstname lastname fullname email company organisation organization city country address phone date price amount product title role team recipient sender customer client'.split(
    ' ',
  ),
)

/** `{x}` is a set or a variable in prose about maths or code; `{first_name}` and `{name}` are gaps. */
function isMergeField(text: string): boolean {
  if (!text.startsWith('{')) return true
  const inner = text.slice(1, -1)
  return inner.includes('_') || /[a-z][A-Z]/.test(inner) || MERGE_WORDS.has(inner.toLowerCase())
}

function checkPlaceholders(content: string): PreCheckResult {
  const a = scan(TELLS, content)
  const b = scan(MARKERS, content)
  const c = scan(GAPS, content, (m) => (isMergeField(m[0]) ? { text: m[0], index: m.index } : null))
  const fm = FRONT_MATTER.exec(content)
  const d = fm ? { matches: [{ text: fm[0].trim(), index: 0 }], count: 1 } : { matches: [], count: 0 }
  const matches = [...a.matches, ...b.matches, ...c.matches, ...d.matches]
    .sort((x, y) => x.index - y.index)
    .slice(0, MAX_MATCHES)
  const count = a.count + b.count + c.count + d.count
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
const LINK = /(?<![\p{L}\p{N}_])([hH]?[tT]{1,2}[pP][sS]?)(:?)(\/{0,3})([^\s<>"'`()[\]{}]*)/gu
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
const MONTHS_CI = caseInsensitive(MONTHS)
const M_END = String.raw`(?![\p{L}])\.?`
const YEAR = String.raw`(?:,?\s{1,3}\d{4}(?!\d))?`

const CODES = 'USD|EUR|GBP|CHF|JPY|CAD|AUD|NZD|INR|SEK|NOK|DKK|PLN|CZK|BRL|MXN|CNY|HKD|SGD|ZAR'
const SYMBOLS = '$€£¥₹₩₽₺₪₫฿₱¢'

const DETECTOR_RE: Record<Exclude<DetectorKind, 'competitor' | 'email'>, RegExp> = {
  price: new RegExp(
    caseInsensitive(
      [
        // €29, $ 1,200.50, US$5, CHF 30
        String.raw`(?:[${SYMBOLS}]|(?<![\p{L}\p{N}])(?:US\$|A\$|C\$|NZ\$|${CODES})(?![\p{L}]))\s?-?\d[\d,.]*`,
        // 29 €, 30 EUR, 10 dollars
        String.raw`(?<![\d.,\p{L}])\d[\d,.]*\s?(?:[${SYMBOLS}]|(?:${CODES}|dollars?|euros?|pounds? sterling|yen|francs?)(?![\p{L}]))`,
      ].join('|'),
    ),
    'gu',
  ),
  percentage: new RegExp(
    caseInsensitive(String.raw`(?<![\d.,\p{L}])\d[\d,.]*\s?(?:[%٪‰]|(?:percent|per\s?cent|pct)(?![\p{L}]))`),
    'gu',
  ),
  date: new RegExp(
    caseInsensitive(
      [
        String.raw`(?<![\d.\-/])\d{4}-\d{1,2}-\d{1,2}(?![\d\-/])`,
        String.raw`(?<![\d.\-/])\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?![\d.\-/]\d)`,
        // March 3rd, 2025 · Sept 2026 (the look-behind after the name lets V8 skip ahead cheaply)
        String.raw`(?:${MONTHS_CI})(?<![\p{L}](?:${MONTHS_CI}))${M_END}\s{1,3}(?:\d{4}(?!\d)|\d{1,2}(?:st|nd|rd|th)?(?![\p{L}\p{N}])${YEAR})`,
        // 3 March 2025 · the 5th of May · 3. März
        String.raw`(?<![\p{L}\p{N}])\d{1,2}(?:st|nd|rd|th)?\.?\s{1,3}(?:of\s{1,3})?(?:${MONTHS_CI})${M_END}${YEAR}`,
        String.raw`(?<![\p{L}\p{N}])[qQ][1-4]\s?\d{4}(?!\d)`,
      ].join('|'),
    ),
    'gu',
  ),
  phone: new RegExp(
    [
      String.raw`(?<![\p{L}\p{N}_+.,/-])\+\d{7,15}(?!\d)`,
      String.raw`(?<![\p{L}\p{N}_+.,/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\p{L}\p{N}_])`,
    ].join('|'),
    'gu',
  ),
}

const LOCAL_CHAR = /^[\p{L}\p{N}\p{M}._%+-]$/u
/** Can this UTF-16 unit be part of an address's local part? ASCII by table, the rest by class. */
function isLocalUnit(c: number, content: string, i: number): boolean {
  if (c < 128)
    return (
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 46 ||
      c === 95 ||
      c === 37 ||
      c === 43 ||
      c === 45
    )
  if (c >= 0xdc00 && c <= 0xdfff) return i > 0 && LOCAL_CHAR.test(content.slice(i - 1, i + 1))
  if (c >= 0xd800 && c <= 0xdbff) return LOCAL_CHAR.test(content.slice(i, i + 2))
  return LOCAL_CHAR.test(content[i]!)
}
/** The domain from just after an "@". */
const EMAIL_DOMAIN = /[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/uy

/**
 * E-mail addresses, found from each "@" outwards: a regex would try a local part at every word
 * of the text, this looks only where an address can be.
 */
function scanEmails(content: string): { matches: PreCheckMatch[]; count: number } {
  const matches: PreCheckMatch[] = []
  let count = 0
  let from = 0
  for (let at = content.indexOf('@'); at >= 0; at = content.indexOf('@', from)) {
    from = at + 1
    let index = at
    while (index > 0 && at - index < 64 && isLocalUnit(content.charCodeAt(index - 1), content, index - 1))
      index--
    if (index === at) continue
    EMAIL_DOMAIN.lastIndex = at + 1
    if (!EMAIL_DOMAIN.exec(content)) continue
    count += 1
    if (matches.length < MAX_MATCHES)
      matches.push({ text: content.slice(index, EMAIL_DOMAIN.lastIndex), index })
    from = EMAIL_DOMAIN.lastIndex
  }
  return { matches, count }
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
  } else if (d.kind === 'email') {
    found = scanEmails(content)
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

/** Titles of failed checks that hold approval. */
export function preCheckFailures(results: readonly PreCheckResult[]): string[] {
  return results.filter((r) => r.status === 'fail').map((r) => r.title)
}

/** A short, deterministic record of the results an auto-approval was given on. */
export function preCheckDigest(results: readonly PreCheckResult[]): string {
  return results.map((r) => `${r.id}=${r.status}`).join(';')
}
