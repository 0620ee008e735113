/**
 * The automatic pre-checks: pure functions of the content and the type's config, so every peer
 * computes the same results. Each check is one linear scan: the patterns avoid nested unbounded
 * quantifiers, and every unbounded run is anchored by a look-behind so a match can only start at
 * the beginning of a run (no quadratic rescans on adversarial input such as 50 KB of digits).
 */
import type { PreCheckConfig } from './config.ts'
import { runDetector } from './detectors.ts'
import { checkLinks } from './links.ts'
import { checkPlaceholders } from './placeholders.ts'
import { findingsResult, type PreCheckMatch, type PreCheckResult } from './result.ts'
import { countChars, listed, phraseRegex, quote, scan } from './text.ts'

export { DETECTOR_NOUN } from './detectors.ts'
export { validHost } from './links.ts'
export * from './result.ts'
export { caseInsensitive, countChars, phraseRegex } from './text.ts'

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
  const found = scan(phraseRegex(banned)!, content)
  return findingsResult(
    'banned',
    'No banned words',
    found,
    () => `Uses banned wording: ${listed(found.matches, found.count)}.`,
    'None of the banned words appear.',
  )
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
