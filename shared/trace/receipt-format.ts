/**
 * The approval receipt's JSON form and the instructions it carries for a person outside the team
 * (built in receipt.ts, checked in receipt-verify.ts).
 */
import type { Policy } from '../domain/policies.ts'
import type { TrailEvent } from '../domain/trail.ts'
import type { CarryOver } from '../domain/types.ts'

/** Version 3 lists the checklist verdicts an earlier round carried into the approved one. */
export const RECEIPT_FORMAT = 'signoff-approval-receipt/3'
/** Receipts issued before carried verdicts were listed; they still verify. */
export const RECEIPT_FORMAT_V2 = 'signoff-approval-receipt/2'

export const HOW_TO_CHECK = [
  '1. sha256 of the UTF-8 bytes of "content", in lowercase hex, must equal "versionHash".',
  '2. Every approval, checklist judgement and publish, and its "event", must name that same hash; only a checklist judgement marked "carried" names the earlier version it was judged on (see 6).',
  '3. Each "event" is signed: its "sig" is "<public key hex>.<Ed25519 signature hex>". The key must be listed under "signers" for the event\'s "actor".',
  '4. The signature covers the UTF-8 bytes of: "signoff/trail-event/v1", newline, "workspaceId", newline, output id, newline, then the event without "sig" as JSON with keys sorted at every level and no spaces. Any Ed25519 (RFC 8032) library can check it.',
  '5. "rules.version" is the sha256 (hex) of "rules.policy" as JSON with keys sorted at every level and no spaces: the review rules the approvals were given under, in review round "rules.round". "rules.event" is the signed submission (or new round) that bound the round to that version; it is checked like the others, except that it may name an earlier version of the content.',
  '6. A checklist judgement with "carried" was given in an earlier round ("carried.round") and still stood when the approvals were given, by the rules: its "event" is checked as in 3 and 4, and names the version it was judged on ("contentHash"). "earlierRounds" lists every round from that one to the round before "rules.round", each checked as in 5 (its "version" is the sha256 of its "policy"; its signed "event" names that version). Then for each round k from "carried.round" to "rules.round" minus 1, with "next" the rules of round k+1 (the last one being "rules.policy"): the verdict of the signed event carries from round k into k+1 only if "next.carryOver" allows it ("passed": the verdict is "pass"; "passed-or-na": "pass" or "na"; absent or "never": nothing carries) and the checklist item with the event\'s "itemId" is in both rounds\' "checklist" and is exactly the same in both, as JSON with keys sorted at every level and no spaces ("carried.rule" repeats "rules.policy.carryOver"). Which round a judgement belongs to is decided by the order of the output\'s trail, which the receipt does not hold: its signed "at" should fall after the signed submission of round "carried.round" and before the next round\'s.',
  "Whether a signer's key really is theirs is what the team vouches for: compare the listed keys with the ones shown in Signoff under Settings → Members.",
].join(' ')

/** The rules of a round as a receipt lists them: the version, the policy it hashes, the signed event that bound it. */
export interface ReceiptRules {
  version: string
  policy: Policy
  /** The review round these rules bound (absent in receipts of format /2). */
  round?: number
  event?: TrailEvent
}

export interface ReceiptJudgement {
  item: string
  itemId: string
  verdict: string
  note: string
  who: string
  at: string
  /** The version it was judged on: the receipt's own, or an earlier one for a carried verdict. */
  contentHash: string
  /** Set for a verdict given in an earlier round that carried into the approved one. */
  carried?: {
    round: number
    /** The approved round's rule (`rules.policy.carryOver`, "never" when absent). */
    rule: CarryOver
    /** The same in words, for a person. */
    why: string
  }
  event?: TrailEvent
}

export interface ApprovalReceipt {
  format: typeof RECEIPT_FORMAT
  howToCheck: string
  output: { id: string; title: string }
  type: { id: string; name: string }
  risk: string
  /** The review rules the approvals were given under (absent for rounds from before versions). */
  rules?: ReceiptRules & { round: number }
  /**
   * The rules of the rounds a carried verdict came through: from the round it was given in to the
   * one before the approved round (absent when no verdict carried).
   */
  earlierRounds?: (ReceiptRules & { round: number })[]
  versionHash: string
  content: string
  workspaceId: string
  /** The device keys that signed the events below, by member. */
  signers: { memberId: string; who: string; publicKey: string; device: string }[]
  approvals: {
    who: string
    memberId: string
    at: string
    contentHash: string
    recordedBy?: string
    event?: TrailEvent
  }[]
  checklist: ReceiptJudgement[]
  publishes: {
    destination: string
    destinationId: string
    at: string
    by: string
    contentHash: string
    receipt: Record<string, unknown>
    event?: TrailEvent
  }[]
  issuedAt: string
  /** Every approval, judgement and publish carries a signed event. */
  signed: boolean
}
