/**
 * Review policies are versioned. The rules an output type holds its outputs to (risk tier,
 * checklist, approvals, approver roles, self-approval, automatic checks and their escalations,
 * allowed destinations) form a policy; each distinct policy of a type is one version, addressed
 * by the sha256 of its canonical JSON and kept in the workspace document's `policies` map. A
 * review round binds to the version in force when it was submitted, and its decisions are judged
 * by that version, so changing a type's rules never changes a decided round.
 */

import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { isObj, isNum as num, isStr as str } from '../guards.ts'
import { parsePreCheckConfig } from '../prechecks/config.ts'
import { parseChecklistItem } from './parse.ts'
import { canonicalJson } from './signing.ts'
import type { CarryOver, ChecklistItem, OutputType, RiskTier, Role } from './types.ts'
import { CARRY_OVER, RISK_TIERS, ROLES } from './types.ts'

/** What an escalation to another type holds an output to: that type's approval rules then. */
export type PolicyTarget = Pick<
  OutputType,
  'id' | 'name' | 'risk' | 'approvalsRequired' | 'approverRoles' | 'allowSelfApproval'
>

/**
 * The hashed part of a version: everything a decision is judged by, which is the type's rules as
 * declared on OutputType.
 */
export interface Policy
  extends Pick<
    OutputType,
    | 'risk'
    | 'checklist'
    | 'approvalsRequired'
    | 'approverRoles'
    | 'allowSelfApproval'
    | 'allowedDestinations'
    | 'prechecks'
  > {
  typeId: string
  /** The escalation targets' rules as they stood, so editing those types changes this version too. */
  targets: PolicyTarget[]
  /**
   * Which verdicts carry into the next round (policy-carry-over.ts). Absent means 'never', and the
   * default is never written: a policy from before the setting keeps its form and so its hash.
   */
  carryOver?: CarryOver
}

export interface PolicyVersion {
  /** sha256 of the policy's canonical JSON, hex: the version's address. */
  hash: string
  typeId: string
  /** The type's name when the version was recorded (the type itself may be renamed or deleted). */
  name: string
  policy: Policy
  /** When it was first recorded (the recorder's clock) and by whom. */
  at: number
  by: string
}

const encoder = new TextEncoder()
const textEncoderHash = (s: string) => bytesToHex(sha256(encoder.encode(s)))

function targetOf(t: OutputType): PolicyTarget {
  return {
    id: t.id,
    name: t.name,
    risk: t.risk,
    approvalsRequired: t.approvalsRequired,
    approverRoles: [...t.approverRoles],
    allowSelfApproval: t.allowSelfApproval,
  }
}

/** The policy an output type stands for now, with the escalation targets it names. */
export function policyOf(type: OutputType, allTypes: readonly OutputType[]): Policy {
  const targetIds = new Set(
    (type.prechecks?.detectors ?? [])
      .map((d) => d.escalateTo)
      .filter((id): id is string => !!id && id !== type.id),
  )
  const targets = allTypes
    .filter((t) => targetIds.has(t.id))
    .map(targetOf)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  // A JSON round trip drops undefined fields, so the same rules hash the same wherever they came from.
  return JSON.parse(
    JSON.stringify({
      typeId: type.id,
      risk: type.risk,
      checklist: type.checklist,
      approvalsRequired: type.approvalsRequired,
      approverRoles: type.approverRoles,
      allowSelfApproval: type.allowSelfApproval,
      allowedDestinations: type.allowedDestinations,
      ...(type.prechecks ? { prechecks: type.prechecks } : {}),
      targets,
      ...(type.carryOver && type.carryOver !== 'never' ? { carryOver: type.carryOver } : {}),
    }),
  ) as Policy
}

export const policyHash = (policy: Policy): string => textEncoderHash(canonicalJson(policy))

/** A short form for people, like content hashes: "rules 3f2a9c1e". */
export const shortPolicy = (hash: string): string => hash.slice(0, 8)

const roleList = (v: unknown): Role[] | null =>
  Array.isArray(v) && v.every((r) => (ROLES as readonly unknown[]).includes(r)) ? (v as Role[]) : null
const risk = (v: unknown): RiskTier | null =>
  (RISK_TIERS as readonly unknown[]).includes(v) ? (v as RiskTier) : null

function parseTarget(v: unknown): PolicyTarget | null {
  if (!isObj(v) || !str(v.id) || !str(v.name)) return null
  const r = risk(v.risk)
  const roles = roleList(v.approverRoles)
  if (!r || !roles || !num(v.approvalsRequired) || typeof v.allowSelfApproval !== 'boolean') return null
  return {
    id: v.id,
    name: v.name,
    risk: r,
    approvalsRequired: v.approvalsRequired,
    approverRoles: roles,
    allowSelfApproval: v.allowSelfApproval,
  }
}

function parsePolicy(v: unknown): Policy | null {
  if (!isObj(v) || !str(v.typeId)) return null
  const r = risk(v.risk)
  const roles = roleList(v.approverRoles)
  if (!r || !roles || roles.length === 0) return null
  if (!num(v.approvalsRequired) || v.approvalsRequired < 1 || typeof v.allowSelfApproval !== 'boolean')
    return null
  if (!Array.isArray(v.checklist) || !Array.isArray(v.targets) || !Array.isArray(v.allowedDestinations))
    return null
  const checklist = v.checklist.map(parseChecklistItem)
  const targets = v.targets.map(parseTarget)
  if (checklist.some((i) => i === null) || targets.some((t) => t === null)) return null
  if (!v.allowedDestinations.every(str)) return null
  if (v.carryOver !== undefined && !(CARRY_OVER as readonly unknown[]).includes(v.carryOver)) return null
  return {
    typeId: v.typeId,
    risk: r,
    checklist: checklist as ChecklistItem[],
    approvalsRequired: v.approvalsRequired,
    approverRoles: roles,
    allowSelfApproval: v.allowSelfApproval,
    allowedDestinations: v.allowedDestinations as string[],
    ...(v.prechecks !== undefined ? { prechecks: parsePreCheckConfig(v.prechecks) } : {}),
    targets: targets as PolicyTarget[],
    // Kept as written (even a spelled-out 'never'): the hash is checked against what it says.
    ...(v.carryOver !== undefined ? { carryOver: v.carryOver as CarryOver } : {}),
  }
}

/**
 * Read one stored version. It counts only under the hash of what it says: a peer cannot put
 * other rules behind a version's address, and a parse that changed anything changes the hash.
 */
export function parsePolicyVersion(key: string, raw: unknown): PolicyVersion | null {
  if (!isObj(raw) || !str(raw.name) || !num(raw.at) || !str(raw.by)) return null
  const policy = parsePolicy(raw.policy)
  if (!policy || policyHash(policy) !== key) return null
  return { hash: key, typeId: policy.typeId, name: raw.name, policy, at: raw.at, by: raw.by }
}

/** The versions a workspace holds, by address and by type (oldest first). */
export class PolicyBook {
  private readonly byHash = new Map<string, PolicyVersion>()
  private readonly byType = new Map<string, PolicyVersion[]>()

  constructor(versions: Iterable<PolicyVersion>) {
    for (const v of versions) {
      this.byHash.set(v.hash, v)
      const list = this.byType.get(v.typeId) ?? []
      list.push(v)
      this.byType.set(v.typeId, list)
    }
    for (const list of this.byType.values())
      list.sort((a, b) => a.at - b.at || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  }

  get(hash: string): PolicyVersion | undefined {
    return this.byHash.get(hash)
  }

  /** Every recorded version of a type, oldest first. */
  history(typeId: string): readonly PolicyVersion[] {
    return this.byType.get(typeId) ?? []
  }

  /**
   * The version in force at a time, for submissions recorded before rounds named their version:
   * the latest version recorded at or before it, else the earliest recorded (the workspace began
   * keeping versions after that time, and its first record is the closest thing it knows).
   */
  inForceAt(typeId: string, at: number): PolicyVersion | undefined {
    const list = this.history(typeId)
    let found: PolicyVersion | undefined
    for (const v of list) if (v.at <= at) found = v
    return found ?? list[0]
  }
}

/**
 * The type a round is judged as: the recorded rules over the type's current name and
 * operational settings (routing, SLA), or over a stand-in when the type was deleted since.
 */
export function typeUnderPolicy(version: PolicyVersion, current: OutputType | undefined): OutputType {
  const p = version.policy
  const base: OutputType = current ?? {
    id: version.typeId,
    name: version.name,
    description: '',
    risk: p.risk,
    checklist: [],
    approvalsRequired: 1,
    approverRoles: ['approver'],
    allowSelfApproval: false,
    allowedDestinations: [],
    reviewSlaHours: 24,
  }
  const { prechecks: _drop, carryOver: _carry, ...rest } = base
  return {
    ...rest,
    risk: p.risk,
    checklist: p.checklist,
    approvalsRequired: p.approvalsRequired,
    approverRoles: p.approverRoles,
    allowSelfApproval: p.allowSelfApproval,
    allowedDestinations: p.allowedDestinations,
    ...(p.prechecks ? { prechecks: p.prechecks } : {}),
    ...(p.carryOver && p.carryOver !== 'never' ? { carryOver: p.carryOver } : {}),
  }
}

/** The escalation targets as the version recorded them, in the shape escalation needs. */
export function targetTypes(version: PolicyVersion): Map<string, OutputType> {
  const out = new Map<string, OutputType>()
  for (const t of version.policy.targets)
    out.set(t.id, {
      ...t,
      description: '',
      checklist: [],
      allowedDestinations: [],
      reviewSlaHours: 24,
    })
  return out
}

/** The carry-over settings as the version diff says them. */
export const CARRY_OVER_WORDS: Record<CarryOver, string> = {
  never: 'none',
  passed: 'passes on unchanged items',
  'passed-or-na': 'passes and “not applicable” on unchanged items',
}

const listOf = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : 'none')
const yesNo = (b: boolean) => (b ? 'allowed' : 'not allowed')

/**
 * What changed from one version to the next, one sentence per change, for people. Destinations
 * are named by `destinationName` (the workspace's names, removed ones included); ids otherwise.
 */
export function diffPolicies(
  before: Policy,
  after: Policy,
  destinationName: (id: string) => string = (id) => id,
): string[] {
  const out: string[] = []
  if (before.risk !== after.risk) out.push(`Risk: ${before.risk} → ${after.risk}.`)
  if (before.approvalsRequired !== after.approvalsRequired)
    out.push(`Approvals required: ${before.approvalsRequired} → ${after.approvalsRequired}.`)
  if (before.approverRoles.join() !== after.approverRoles.join())
    out.push(`Who approves: ${listOf(before.approverRoles)} → ${listOf(after.approverRoles)}.`)
  if (before.allowSelfApproval !== after.allowSelfApproval)
    out.push(`Self-approval: ${yesNo(before.allowSelfApproval)} → ${yesNo(after.allowSelfApproval)}.`)
  const oldItems = new Map(before.checklist.map((i) => [i.id, i]))
  const newItems = new Map(after.checklist.map((i) => [i.id, i]))
  for (const item of after.checklist) {
    const old = oldItems.get(item.id)
    if (!old)
      out.push(
        `Checklist item added: “${item.title}”${item.severity === 'send-back' ? ' (sends back)' : ''}.`,
      )
    else if (canonicalJson(old) !== canonicalJson(item)) {
      if (old.severity !== item.severity)
        out.push(
          `“${item.title}” ${item.severity === 'send-back' ? 'now sends back' : 'is now a warning only'}.`,
        )
      if (old.title !== item.title || old.question !== item.question || old.guidance !== item.guidance)
        out.push(`Checklist item reworded: “${old.title}” → “${item.title}”.`)
    }
  }
  for (const item of before.checklist)
    if (!newItems.has(item.id)) out.push(`Checklist item removed: “${item.title}”.`)
  if (canonicalJson(before.prechecks ?? null) !== canonicalJson(after.prechecks ?? null)) {
    const a = before.prechecks
    const b = after.prechecks
    if (!a || !b) out.push(b ? 'Automatic checks switched on.' : 'Automatic checks switched off.')
    else {
      if (a.autoApprove !== b.autoApprove)
        out.push(`Automatic approval ${b.autoApprove ? 'switched on' : 'switched off'}.`)
      const rest = { ...a, autoApprove: b.autoApprove }
      if (canonicalJson(rest) !== canonicalJson(b)) out.push('Automatic checks or escalations changed.')
    }
  }
  if ((before.carryOver ?? 'never') !== (after.carryOver ?? 'never'))
    out.push(
      `Verdicts carried into the next round: ${CARRY_OVER_WORDS[before.carryOver ?? 'never']} → ${CARRY_OVER_WORDS[after.carryOver ?? 'never']}.`,
    )
  if (canonicalJson(before.targets) !== canonicalJson(after.targets))
    out.push('The rules of a type it escalates to changed.')
  if (before.allowedDestinations.join() !== after.allowedDestinations.join())
    out.push(
      `Destinations: ${listOf(before.allowedDestinations.map(destinationName))} → ${listOf(after.allowedDestinations.map(destinationName))}.`,
    )
  return out
}

/** Does the change touch how a round is judged (anything but where it may be published)? */
export function changesReview(before: Policy, after: Policy): boolean {
  return (
    canonicalJson({ ...before, allowedDestinations: [] }) !==
    canonicalJson({ ...after, allowedDestinations: [] })
  )
}
