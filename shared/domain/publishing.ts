/**
 * Publishing in the trail: schedules, claims, receipts. A publish is a claim (checked against the
 * approval of the exact version it names) followed by its outcome. Claims make scheduled
 * publishing happen once: every online member may claim a due schedule, the merged trail keeps
 * the first claim in its order, and only the member whose claim counts performs it.
 */
import type { TrailEvent, TrailEventOf } from './trail.ts'

export type PublishStatus = 'pending' | 'published' | 'failed'

export interface PublishRecord {
  attemptId: string
  destinationId: string
  contentHash: string
  by: string
  claimedAt: number
  scheduleId?: string
  status: PublishStatus
  /** The policy version whose approval the claim relied on (policies.ts), when its round names one. */
  policy?: string
  /** The review round the claim was made in. */
  round?: number
  /**
   * Why the claim did not count where it stands in the merged trail (no approval stood there:
   * say a member sent it back offline while another published it). Such a publish may still
   * have happened: it is kept apart, shown in the shipped log with this reason, and never makes
   * the output published.
   */
  unapproved?: string
  /** When the outcome was recorded. */
  at?: number
  receipt?: Record<string, unknown>
  note?: string
  error?: string
  retryable?: boolean
}

export interface ScheduleRecord {
  scheduleId: string
  destinationId: string
  contentHash: string
  runAt: number
  by: string
  status: 'pending' | 'done' | 'cancelled'
  /** The attempt whose claim counts, while it is in flight or after it published. */
  attemptId?: string
}

/**
 * Why a pending schedule cannot go out as the output stands, in words, or null: the host performs
 * a schedule only for the approved version it names, while the type may still go there. Shown on
 * the card and in the publishing history, so a schedule that will not run does not sit there as
 * if it would.
 */
export function scheduleHold(
  schedule: Pick<ScheduleRecord, 'contentHash' | 'destinationId'>,
  output: {
    state: string
    approvedHash?: string | undefined
    allowedDestinations: readonly string[]
    currentHash: string
  },
): string | null {
  if (output.state !== 'approved' && output.state !== 'published')
    return 'waits: the output is not approved now (it goes out if this version is approved again)'
  if (schedule.contentHash !== (output.approvedHash ?? output.currentHash))
    return 'will not run: a newer version was approved since; schedule that one'
  if (!output.allowedDestinations.includes(schedule.destinationId))
    return 'will not run: this output type may no longer go there'
  return null
}

type PublishEvent = TrailEventOf<
  'publish_scheduled' | 'publish_unscheduled' | 'publish_claimed' | 'published' | 'publish_failed'
>

export const isPublishEvent = (e: TrailEvent): e is PublishEvent =>
  e.kind === 'publish_scheduled' ||
  e.kind === 'publish_unscheduled' ||
  e.kind === 'publish_claimed' ||
  e.kind === 'published' ||
  e.kind === 'publish_failed'

export interface PublishRules {
  /** Did the output hold a valid approval for exactly this version at this point of the trail? */
  approvedFor: (contentHash: string) => boolean
  /** May this output's type go to this destination? */
  destinationAllowed: (destinationId: string) => boolean
}

/** Collects the publish records of one trail; `accept` says why an event does not count. */
export class PublishLedger {
  readonly attempts = new Map<string, PublishRecord>()
  readonly schedules = new Map<string, ScheduleRecord>()
  /** Claims refused for their version or destination, with the outcomes their members recorded. */
  readonly unapproved = new Map<string, PublishRecord>()

  accept(e: PublishEvent, rules: PublishRules): string | null {
    switch (e.kind) {
      case 'publish_scheduled': {
        if (this.schedules.has(e.scheduleId)) return 'a schedule with this id already exists'
        const refused = this.refuseVersion(e.contentHash, e.destinationId, rules)
        if (refused) return refused
        this.schedules.set(e.scheduleId, {
          scheduleId: e.scheduleId,
          destinationId: e.destinationId,
          contentHash: e.contentHash,
          runAt: e.runAt,
          by: e.actor,
          status: 'pending',
        })
        return null
      }
      case 'publish_unscheduled': {
        const s = this.schedules.get(e.scheduleId)
        if (!s) return 'there is no such schedule'
        if (s.status !== 'pending') return `the schedule is already ${s.status}`
        s.status = 'cancelled'
        return null
      }
      case 'publish_claimed': {
        if (this.attempts.has(e.attemptId)) return 'this attempt was already claimed'
        if (e.scheduleId !== undefined) {
          const s = this.schedules.get(e.scheduleId)
          if (!s) return 'there is no such schedule'
          if (s.status !== 'pending') return `the schedule is already ${s.status}`
          const current = s.attemptId ? this.attempts.get(s.attemptId) : undefined
          if (current && current.status !== 'failed')
            return `another member (${current.by}) already claimed this scheduled publish`
          if (s.destinationId !== e.destinationId || s.contentHash !== e.contentHash)
            return 'the claim does not match its schedule'
        }
        const record: PublishRecord = {
          attemptId: e.attemptId,
          destinationId: e.destinationId,
          contentHash: e.contentHash,
          by: e.actor,
          claimedAt: e.at,
          ...(e.scheduleId !== undefined ? { scheduleId: e.scheduleId } : {}),
          status: 'pending',
        }
        const refused = this.refuseVersion(e.contentHash, e.destinationId, rules)
        if (refused) {
          // It does not count, but its member may have published before the trails merged.
          if (!this.unapproved.has(e.attemptId))
            this.unapproved.set(e.attemptId, { ...record, unapproved: refused })
          return refused
        }
        this.attempts.set(e.attemptId, record)
        if (e.scheduleId !== undefined) this.schedules.get(e.scheduleId)!.attemptId = e.attemptId
        return null
      }
      case 'published':
      case 'publish_failed': {
        // An outcome is a fact about a claim: it counts when its own claim counted.
        const a = this.attempts.get(e.attemptId)
        if (!a) {
          const off = this.unapproved.get(e.attemptId)
          if (off && off.by === e.actor && off.status === 'pending' && off.contentHash === e.contentHash) {
            // Kept with its claim, apart from what counts: the shipped log shows it went out.
            off.at = e.at
            if (e.kind === 'published') {
              off.status = 'published'
              off.receipt = e.receipt
            } else {
              off.status = 'failed'
              off.error = e.error
            }
            return `its claim did not count (${off.unapproved})`
          }
          return 'no claim for this attempt counts'
        }
        if (a.by !== e.actor) return 'only the member who claimed an attempt records its outcome'
        if (a.status !== 'pending') return 'this attempt already has an outcome'
        if (a.contentHash !== e.contentHash || a.destinationId !== e.destinationId)
          return 'the outcome does not match its claim'
        a.at = e.at
        if (e.kind === 'published') {
          a.status = 'published'
          a.receipt = e.receipt
          if (e.note) a.note = e.note
          const s = a.scheduleId ? this.schedules.get(a.scheduleId) : undefined
          if (s) s.status = 'done'
        } else {
          a.status = 'failed'
          a.error = e.error
          a.retryable = e.retryable
        }
        return null
      }
    }
  }

  private refuseVersion(contentHash: string, destinationId: string, rules: PublishRules): string | null {
    if (!rules.approvedFor(contentHash))
      return 'only an approved version can be published, and this one was not'
    if (!rules.destinationAllowed(destinationId))
      return `this output type may not be published to ${destinationId}`
    return null
  }
}
