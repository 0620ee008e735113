/** Detectors: what raises the risk of a text (prices, dates, addresses, competitors, …). */
import type { DetectorConfig, DetectorKind } from './config.ts'
import { MAX_MATCHES, type PreCheckMatch, type PreCheckResult } from './result.ts'
import { builtOnce, caseInsensitive, listed, phraseRegex, scan } from './text.ts'

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

const detectorPatterns = builtOnce((): Record<Exclude<DetectorKind, 'competitor' | 'email'>, RegExp> => {
  const monthsCi = caseInsensitive(MONTHS)
  return {
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
      caseInsensitive(
        String.raw`(?<![\d.,\p{L}])\d[\d,.]*\s?(?:[%٪‰]|(?:percent|per\s?cent|pct)(?![\p{L}]))`,
      ),
      'gu',
    ),
    date: new RegExp(
      caseInsensitive(
        [
          String.raw`(?<![\d.\-/])\d{4}-\d{1,2}-\d{1,2}(?![\d\-/])`,
          String.raw`(?<![\d.\-/])\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?![\d.\-/]\d)`,
          // March 3rd, 2025 · Sept 2026 (the look-behind after the name lets V8 skip ahead cheaply)
          String.raw`(?:${monthsCi})(?<![\p{L}](?:${monthsCi}))${M_END}\s{1,3}(?:\d{4}(?!\d)|\d{1,2}(?:st|nd|rd|th)?(?![\p{L}\p{N}])${YEAR})`,
          // 3 March 2025 · the 5th of May · 3. März
          String.raw`(?<![\p{L}\p{N}])\d{1,2}(?:st|nd|rd|th)?\.?\s{1,3}(?:of\s{1,3})?(?:${monthsCi})${M_END}${YEAR}`,
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
})

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

export function runDetector(content: string, d: DetectorConfig): PreCheckResult {
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
    found = scan(detectorPatterns()[d.kind], content, trim)
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
