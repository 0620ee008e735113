/**
 * Per-type configuration of the automatic pre-checks, and its defensive reader: the config
 * arrives from other peers inside the workspace document, so junk becomes defaults, never a throw.
 */
import { isObj } from '../guards.ts'

export const DETECTOR_KINDS = ['price', 'percentage', 'date', 'email', 'phone', 'competitor'] as const
export type DetectorKind = (typeof DETECTOR_KINDS)[number]

export interface DetectorConfig {
  kind: DetectorKind
  /** Output type id whose approval policy applies when this detector fires. */
  escalateTo?: string
  /** Names to look for (competitor detector only). */
  competitors?: string[]
}

export interface PreCheckConfig {
  /** Words and phrases that must not appear (case-insensitive, whole words). */
  banned: string[]
  /** Phrases that must appear, e.g. a disclaimer (case-insensitive). */
  required: string[]
  /** Length limits in characters (Unicode code points). */
  minChars?: number
  maxChars?: number
  /** Leftover placeholders and AI tells ("As an AI language model", "[insert …]", "TODO"). */
  placeholders: boolean
  /** Malformed and non-https links. */
  links: boolean
  detectors: DetectorConfig[]
  /** Approve automatically when every pre-check passes; honoured only for low-risk types. */
  autoApprove: boolean
}

/** Placeholders and links checked, nothing else, no auto-approval: a fresh config, with `more`. */
export function defaultPreChecks(more: Partial<PreCheckConfig> = {}): PreCheckConfig {
  return {
    banned: [],
    required: [],
    placeholders: true,
    links: true,
    detectors: [],
    autoApprove: false,
    ...more,
  }
}

export const DEFAULT_PRECHECKS: PreCheckConfig = defaultPreChecks()

/** Limits that keep a peer's config from making the checks slow. */
const MAX_PHRASES = 200
const MAX_PHRASE_CHARS = 200
const MAX_CHARS_LIMIT = 10_000_000

/** Trimmed, non-empty, de-duplicated (case-insensitively) phrases. */
export function cleanPhrases(v: unknown): string[] {
  if (!Array.isArray(v)) return []
  const out: string[] = []
  const seen = new Set<string>()
  for (const p of v) {
    if (typeof p !== 'string') continue
    const t = p.replace(/\s+/gu, ' ').trim().slice(0, MAX_PHRASE_CHARS)
    if (!t || seen.has(t.toLowerCase())) continue
    seen.add(t.toLowerCase())
    out.push(t)
    if (out.length >= MAX_PHRASES) break
  }
  return out
}

const limit = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(MAX_CHARS_LIMIT, Math.floor(v)) : undefined

function parseDetector(v: unknown): DetectorConfig | null {
  if (!isObj(v)) return null
  if (!(DETECTOR_KINDS as readonly unknown[]).includes(v.kind)) return null
  const kind = v.kind as DetectorKind
  const out: DetectorConfig = { kind }
  if (typeof v.escalateTo === 'string' && v.escalateTo.trim()) out.escalateTo = v.escalateTo.trim()
  if (kind === 'competitor') out.competitors = cleanPhrases(v.competitors)
  return out
}

/** Read a config from a stored value: anything malformed falls back to the defaults, field by field. */
export function parsePreCheckConfig(v: unknown): PreCheckConfig {
  if (!isObj(v)) return defaultPreChecks()
  const detectors: DetectorConfig[] = []
  const kinds = new Set<DetectorKind>()
  if (Array.isArray(v.detectors))
    for (const d of v.detectors) {
      const parsed = parseDetector(d)
      // One detector per kind: a second one would only repeat the first one's findings.
      if (parsed && !kinds.has(parsed.kind)) {
        kinds.add(parsed.kind)
        detectors.push(parsed)
      }
    }
  const minChars = limit(v.minChars)
  let maxChars = limit(v.maxChars)
  if (maxChars === 0) maxChars = undefined
  return {
    banned: cleanPhrases(v.banned),
    required: cleanPhrases(v.required),
    ...(minChars !== undefined && minChars > 0 ? { minChars } : {}),
    ...(maxChars !== undefined ? { maxChars } : {}),
    placeholders: typeof v.placeholders === 'boolean' ? v.placeholders : DEFAULT_PRECHECKS.placeholders,
    links: typeof v.links === 'boolean' ? v.links : DEFAULT_PRECHECKS.links,
    detectors,
    autoApprove: v.autoApprove === true,
  }
}
