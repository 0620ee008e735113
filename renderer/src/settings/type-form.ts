/**
 * The output-type editor's draft and its rules, kept apart from the form so they can be tested:
 * a reducer over a draft of strings (what the inputs hold) and a validator that turns a valid
 * draft into an OutputType or says, per field, what is wrong.
 */
import { newId } from '../../../shared/domain/ids.ts'
import type {
  CarryOver,
  ChecklistItem,
  Member,
  OutputType,
  RiskTier,
  Role,
} from '../../../shared/domain/types.ts'
import { ROLES } from '../../../shared/domain/types.ts'
import { defaultPreChecks, type PreCheckConfig } from '../../../shared/prechecks/config.ts'
import type { RoutingConfig } from '../../../shared/routing/config.ts'

export interface ItemDraft {
  /** Kept across edits: judgements in trails refer to items by id. */
  id: string
  title: string
  question: string
  guidance: string
  severity: ChecklistItem['severity']
}

export interface TypeDraft {
  /** Empty for a type not saved yet. */
  id: string
  name: string
  description: string
  risk: RiskTier
  checklist: ItemDraft[]
  approvalsRequired: string
  approverRoles: Role[]
  allowSelfApproval: boolean
  reviewSlaHours: string
  allowedDestinations: string[]
  /** The automatic pre-checks, edited by PreCheckSettings; absent means none. */
  prechecks?: PreCheckConfig
  /** Automatic reviewer assignment and the SLA backup, edited by RoutingSettings; absent means none. */
  routing?: RoutingConfig
  /** Which verdicts carry into the next round (shared/domain/policy-carry-over.ts). */
  carryOver: CarryOver
}

export type TypeEdit =
  | { kind: 'load'; draft: TypeDraft }
  | { kind: 'field'; field: 'name' | 'description' | 'approvalsRequired' | 'reviewSlaHours'; value: string }
  | { kind: 'risk'; value: RiskTier }
  | { kind: 'selfApproval'; value: boolean }
  | { kind: 'toggleRole'; role: Role }
  | { kind: 'addItem'; id?: string }
  | { kind: 'removeItem'; index: number }
  | { kind: 'moveItem'; index: number; by: -1 | 1 }
  | { kind: 'item'; index: number; patch: Partial<Omit<ItemDraft, 'id'>> }
  | { kind: 'prechecks'; value: PreCheckConfig }
  | { kind: 'routing'; value: RoutingConfig }
  | { kind: 'carryOver'; value: CarryOver }

export function draftOf(type: OutputType): TypeDraft {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    risk: type.risk,
    checklist: type.checklist.map((i) => ({ ...i })),
    approvalsRequired: String(type.approvalsRequired),
    approverRoles: [...type.approverRoles],
    allowSelfApproval: type.allowSelfApproval,
    reviewSlaHours: String(type.reviewSlaHours),
    allowedDestinations: [...type.allowedDestinations],
    ...(type.prechecks ? { prechecks: type.prechecks } : {}),
    ...(type.routing ? { routing: type.routing } : {}),
    carryOver: type.carryOver ?? 'never',
  }
}

export function emptyDraft(): TypeDraft {
  return {
    id: '',
    name: '',
    description: '',
    risk: 'medium',
    checklist: [],
    approvalsRequired: '1',
    approverRoles: ['approver', 'admin'],
    allowSelfApproval: false,
    reviewSlaHours: '24',
    allowedDestinations: [],
    prechecks: defaultPreChecks(),
    carryOver: 'never',
  }
}

export function editType(draft: TypeDraft, edit: TypeEdit): TypeDraft {
  switch (edit.kind) {
    case 'load':
      return edit.draft
    case 'field':
      return { ...draft, [edit.field]: edit.value }
    case 'risk':
      return { ...draft, risk: edit.value }
    case 'selfApproval':
      return { ...draft, allowSelfApproval: edit.value }
    case 'toggleRole': {
      const has = draft.approverRoles.includes(edit.role)
      const roles = has
        ? draft.approverRoles.filter((r) => r !== edit.role)
        : [...draft.approverRoles, edit.role]
      // Keep the roles in their canonical order so saving an unchanged set writes nothing.
      return { ...draft, approverRoles: ROLES.filter((r) => roles.includes(r)) }
    }
    case 'addItem':
      return {
        ...draft,
        checklist: [
          ...draft.checklist,
          { id: edit.id ?? newId('c'), title: '', question: '', guidance: '', severity: 'send-back' },
        ],
      }
    case 'removeItem':
      return { ...draft, checklist: draft.checklist.filter((_, i) => i !== edit.index) }
    case 'moveItem': {
      const to = edit.index + edit.by
      if (to < 0 || to >= draft.checklist.length || !draft.checklist[edit.index]) return draft
      const list = [...draft.checklist]
      const [moved] = list.splice(edit.index, 1)
      list.splice(to, 0, moved!)
      return { ...draft, checklist: list }
    }
    case 'prechecks':
      return { ...draft, prechecks: edit.value }
    case 'routing':
      return { ...draft, routing: edit.value }
    case 'carryOver':
      return { ...draft, carryOver: edit.value }
    case 'item': {
      if (!draft.checklist[edit.index]) return draft
      return {
        ...draft,
        checklist: draft.checklist.map((item, i) => (i === edit.index ? { ...item, ...edit.patch } : item)),
      }
    }
  }
}

/** Field name → message; checklist items as `item.<index>.<field>`. */
export type TypeErrors = Record<string, string>

export type Validation =
  | { ok: true; type: OutputType; warnings: string[] }
  | { ok: false; errors: TypeErrors }

/** A review allowed to take longer than a year is no deadline. */
const MAX_SLA_HOURS = 24 * 365

const wholeNumber = (s: string): number | null => (/^\s*\d+\s*$/.test(s) ? Number(s) : null)

/**
 * Check a draft. `existingNames` are the other types' names (a second "Pricing update" would be
 * indistinguishable on the board); `members` drive a warning when nobody could approve.
 */
export function validateType(
  draft: TypeDraft,
  existingNames: readonly string[],
  members: readonly Member[] = [],
  makeId: () => string = () => newId('t'),
): Validation {
  const errors: TypeErrors = {}
  const name = draft.name.trim()
  if (!name) errors.name = 'Give the type a name.'
  else if (name.length > 80) errors.name = 'Keep the name under 80 characters.'
  else if (existingNames.some((n) => n.trim().toLowerCase() === name.toLowerCase()))
    errors.name = `There is already a type called "${name}".`
  const approvals = wholeNumber(draft.approvalsRequired)
  if (approvals === null || approvals < 1 || approvals > 10)
    errors.approvalsRequired = 'Approvals required must be a whole number from 1 to 10.'
  if (draft.approverRoles.length === 0) errors.approverRoles = 'Choose at least one role that may approve.'
  const sla = Number(draft.reviewSlaHours)
  if (!draft.reviewSlaHours.trim() || !Number.isFinite(sla) || sla <= 0)
    errors.reviewSlaHours = 'The review SLA is a number of hours greater than 0.'
  else if (sla > MAX_SLA_HOURS)
    errors.reviewSlaHours = `The review SLA is at most ${MAX_SLA_HOURS.toLocaleString('en-US')} hours (a year).`
  const pc = draft.prechecks
  if (pc?.minChars !== undefined && !Number.isInteger(pc.minChars))
    errors['prechecks.minChars'] =
      'The minimum length is a whole number of characters; leave it empty for no minimum.'
  else if (pc?.maxChars !== undefined && !Number.isInteger(pc.maxChars))
    errors['prechecks.maxChars'] =
      'The maximum length is a whole number of characters; leave it empty for no maximum.'
  else if (pc?.minChars !== undefined && pc.maxChars !== undefined && pc.minChars > pc.maxChars)
    errors['prechecks.length'] = 'The minimum length is above the maximum: no text could pass.'
  if (draft.routing?.strategy === 'fixed' && !draft.routing.fixedMemberId)
    errors['routing.fixed'] = 'Choose who reviews every output of this type.'
  draft.checklist.forEach((item, i) => {
    if (!item.title.trim()) errors[`item.${i}.title`] = `Item ${i + 1} needs a title.`
    if (!item.question.trim())
      errors[`item.${i}.question`] = `Item ${i + 1} needs the question the reviewer answers.`
  })
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const type: OutputType = {
    id: draft.id || makeId(),
    name,
    description: draft.description.trim(),
    risk: draft.risk,
    checklist: draft.checklist.map((i) => ({
      id: i.id,
      title: i.title.trim(),
      question: i.question.trim(),
      guidance: i.guidance.trim(),
      severity: i.severity,
    })),
    approvalsRequired: approvals!,
    approverRoles: draft.approverRoles,
    allowSelfApproval: draft.allowSelfApproval,
    allowedDestinations: draft.allowedDestinations,
    reviewSlaHours: sla,
    // Auto-approval is honoured only for low-risk types; do not store a setting that cannot apply.
    ...(draft.prechecks
      ? {
          prechecks: {
            ...draft.prechecks,
            autoApprove: draft.risk === 'low' && draft.prechecks.autoApprove,
          },
        }
      : {}),
    // "No routing" and no backup is not stored, so an unrouted type reads the same as before.
    ...(draft.routing && (draft.routing.strategy !== 'none' || draft.routing.backupMemberId)
      ? { routing: draft.routing }
      : {}),
    // The default is not stored, so a type that keeps it has the same rules (and hash) as before.
    ...(draft.carryOver !== 'never' ? { carryOver: draft.carryOver } : {}),
  }
  const warnings: string[] = []
  if (members.length > 0) {
    const eligible = members.filter((m) => m.roles.some((r) => type.approverRoles.includes(r))).length
    if (eligible < type.approvalsRequired)
      warnings.push(
        `Only ${eligible} member${eligible === 1 ? '' : 's'} hold${eligible === 1 ? 's' : ''} a role that may approve, but ${type.approvalsRequired} approvals are required: outputs of this type cannot be approved until more members have those roles.`,
      )
  }
  if (type.checklist.length === 0)
    warnings.push('The checklist is empty: reviewers will have no standard to judge against.')
  return { ok: true, type, warnings }
}

/** The draft's fields, each with the type fields it sets and the words for it in a notice. */
const DRAFT_FIELDS: readonly {
  draft: keyof TypeDraft
  type: readonly (keyof OutputType)[]
  label: string
}[] = [
  { draft: 'name', type: ['name'], label: 'the name' },
  { draft: 'description', type: ['description'], label: 'what it is for' },
  // Auto-approval depends on the risk (validateType): the two go together.
  { draft: 'risk', type: ['risk', 'prechecks'], label: 'the risk' },
  { draft: 'checklist', type: ['checklist'], label: 'the checklist' },
  { draft: 'approvalsRequired', type: ['approvalsRequired'], label: 'the approvals required' },
  { draft: 'approverRoles', type: ['approverRoles'], label: 'who may approve' },
  { draft: 'allowSelfApproval', type: ['allowSelfApproval'], label: 'self-approval' },
  { draft: 'reviewSlaHours', type: ['reviewSlaHours'], label: 'the review SLA' },
  { draft: 'allowedDestinations', type: ['allowedDestinations'], label: 'where it may be published' },
  { draft: 'prechecks', type: ['prechecks'], label: 'the automatic checks' },
  { draft: 'routing', type: ['routing'], label: 'routing' },
  { draft: 'carryOver', type: ['carryOver'], label: 'verdicts carried over' },
]

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * What a save writes when the type may have changed since the form opened (another admin, or a
 * destination removed): the type as it stands now, with the fields this person changed since
 * `opened` taken from `edited` (their validated draft). A field only the other side changed keeps
 * their change; `overwrote` names the fields both changed, where this save wins.
 */
export function mergeTypeEdit(
  now: OutputType | undefined,
  opened: TypeDraft,
  draft: TypeDraft,
  edited: OutputType,
): { type: OutputType; overwrote: string[] } {
  if (!now) return { type: edited, overwrote: [] }
  const nowDraft = draftOf(now)
  const type: Record<string, unknown> = { ...now }
  const overwrote: string[] = []
  for (const f of DRAFT_FIELDS) {
    if (same(opened[f.draft], draft[f.draft])) continue
    for (const key of f.type) {
      if (edited[key] === undefined) delete type[key]
      else type[key] = edited[key]
    }
    if (!same(opened[f.draft], nowDraft[f.draft])) overwrote.push(f.label)
  }
  return { type: type as unknown as OutputType, overwrote }
}

/** The fields someone else changed since the form opened, in words (empty when none). */
export function changedSince(now: OutputType | undefined, opened: TypeDraft): string[] {
  if (!now) return []
  const nowDraft = draftOf(now)
  return DRAFT_FIELDS.filter((f) => !same(opened[f.draft], nowDraft[f.draft])).map((f) => f.label)
}
