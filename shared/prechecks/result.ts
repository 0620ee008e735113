/** What a pre-check reports. */
import type { DetectorKind } from './config.ts'

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

/**
 * A check that fails on anything it finds: `failed` describes the finds, `passed` says what was
 * looked for; the matches are kept only on a failure.
 */
export function findingsResult(
  id: BlockingCheckId,
  title: string,
  found: { matches: PreCheckMatch[]; count: number },
  failed: () => string,
  passed: string,
): PreCheckResult {
  const { matches, count } = found
  return {
    id,
    title,
    status: count > 0 ? 'fail' : 'pass',
    detail: count > 0 ? failed() : passed,
    ...(count > 0 ? { matches } : {}),
  }
}
