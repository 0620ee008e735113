import { z } from 'zod'
import { ID_PATTERN } from '../docnames.ts'
import { VERDICTS } from '../domain/trail.ts'
import { INTAKE_MAX_CONTENT_CHARS, intakeSourceSchema } from './intake.ts'

/**
 * A window's request that the host perform one signed command (shared/domain) as a member: the
 * host holds the device key, runs the same command with the same rules on its copy of the
 * documents, signs what it appends, and answers with the changes for the window to apply. The
 * window never holds a private key, and the host never signs bytes the window made: it signs only
 * events it wrote itself, after the command's own checks passed on its copy.
 *
 * The window's copy may hold changes the host's has not seen yet (the text just typed, a relay
 * workspace edited offline): `docs` carries each document's state vector and, when the window
 * knows the host's vector, the changes beyond it (deletions included). A copy that still misses
 * some of the window's changes answers `needs` with the host's vectors, and the window sends the
 * difference once more.
 */

const id = z.string().regex(ID_PATTERN, 'must be an id of letters, digits, - and _')
const ref = z.string().min(1).max(128)
const text = (max: number) => z.string().max(max)
/** Base64 of a Yjs update or state vector. */
const bytes = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')

export const docStateSchema = z
  .object({ vector: bytes(64 * 1024), update: bytes(900 * 1024).optional() })
  .strict()
export type DocState = z.infer<typeof docStateSchema>

const reviewAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit') }).strict(),
  z
    .object({
      action: z.literal('judge'),
      itemId: ref,
      verdict: z.enum(VERDICTS),
      note: text(4000).optional(),
    })
    .strict(),
  z.object({ action: z.literal('approve'), note: text(4000).optional(), viewed: ref.optional() }).strict(),
  z.object({ action: z.literal('request_changes'), reasons: z.array(text(4000)).max(50) }).strict(),
  z.object({ action: z.literal('reject'), reason: text(4000) }).strict(),
  z.object({ action: z.literal('reopen'), reason: text(4000).optional() }).strict(),
  z.object({ action: z.literal('archive'), reason: text(4000).optional() }).strict(),
])

const position = z.number().int().min(0).max(10_000_000)
const cmd = <N extends string, A extends z.ZodType>(name: N, args: A) =>
  z.object({ name: z.literal(name), args }).strict()

/** Commands on one output (`outputId` required). */
export const outputCommandSchema = z.discriminatedUnion('name', [
  cmd('perform', reviewAction),
  cmd('approveOutput', z.object({ note: text(4000).optional(), viewed: ref.optional() }).strict()),
  cmd(
    'addComment',
    z.object({ from: position.optional(), to: position.optional(), body: text(10_000) }).strict(),
  ),
  cmd('replyToThread', z.object({ thread: ref, body: text(10_000) }).strict()),
  cmd('resolveThread', z.object({ thread: ref }).strict()),
  cmd('reopenThread', z.object({ thread: ref }).strict()),
  cmd(
    'suggestChange',
    z
      .object({ from: position, to: position, replacement: text(100_000), body: text(10_000).optional() })
      .strict(),
  ),
  cmd('acceptSuggestions', z.object({ threads: z.array(ref).min(1).max(200) }).strict()),
  cmd('declineSuggestion', z.object({ thread: ref }).strict()),
  cmd('assignReviewer', z.object({ assignee: id }).strict()),
  cmd('autoAssign', z.object({}).strict()),
  cmd('reassignOverdue', z.object({}).strict()),
  /** `previousText`: the text at this window's last note, for the edit's summary only. */
  cmd('recordEdit', z.object({ previousText: text(2_000_000) }).strict()),
  cmd(
    'createOutput',
    z
      .object({
        title: text(1000),
        typeId: id,
        content: text(INTAKE_MAX_CONTENT_CHARS),
        // What the New output dialog takes is what intake takes (a prompt of 20,000 characters).
        source: intakeSourceSchema.optional(),
        assignees: z.array(id).max(50).optional(),
        tags: z.array(text(100)).max(50).optional(),
        dueDate: text(40).optional(),
      })
      .strict(),
  ),
  /** `newVersion`: the person confirmed that restoring away from a locked approved version voids it. */
  cmd('restoreVersion', z.object({ hash: ref, newVersion: z.boolean().optional() }).strict()),
  /** "Start a new version" of a locked approved version (shared/domain/locks.ts). */
  cmd('startNewVersion', z.object({ reason: text(4000).optional() }).strict()),
  cmd('startNewRound', z.object({ reason: text(4000) }).strict()),
  cmd('schedulePublish', z.object({ destinationId: id, runAt: z.number().int().min(0) }).strict()),
  cmd('cancelSchedule', z.object({ scheduleId: ref, reason: text(1000) }).strict()),
  cmd('claimPublish', z.object({ destinationId: id, scheduleId: ref.optional() }).strict()),
  cmd(
    'recordPublishOutcome',
    z
      .object({
        attemptId: ref,
        outcome: z.discriminatedUnion('ok', [
          z
            .object({
              ok: z.literal(true),
              receipt: z.record(z.string(), z.unknown()),
              note: text(4000).optional(),
            })
            .strict(),
          z.object({ ok: z.literal(false), error: text(4000), retryable: z.boolean() }).strict(),
        ]),
      })
      .strict(),
  ),
])

/** Commands on the workspace document only (device keys). */
export const workspaceCommandSchema = z.discriminatedUnion('name', [
  /** Register this device's key with the member (a proof of possession the host signs). */
  cmd('enrollDevice', z.object({}).strict()),
  /** Confirm another of the member's (or, as an admin, a member's) device keys. */
  cmd('confirmDevice', z.object({ key: z.string().regex(/^[0-9a-f]{64}$/) }).strict()),
])

export const performInputSchema = z.union([
  z
    .object({
      workspaceId: id,
      memberId: id,
      outputId: id,
      command: outputCommandSchema,
      workspace: docStateSchema,
      output: docStateSchema,
    })
    .strict(),
  z
    .object({ workspaceId: id, memberId: id, command: workspaceCommandSchema, workspace: docStateSchema })
    .strict(),
])
export type PerformInput = z.infer<typeof performInputSchema>
export type OutputCommand = z.infer<typeof outputCommandSchema>
export type WorkspaceCommand = z.infer<typeof workspaceCommandSchema>
export type HostCommandName = OutputCommand['name'] | WorkspaceCommand['name']

/** What the host's copy of a document gives back: the changes the window lacks, and its vector. */
export interface DocReply {
  update: string
  vector: string
}

export type PerformResult =
  | {
      ok: true
      /** What the command returns besides success (a comment's id, a schedule id, a claim). */
      value?: unknown
      workspace: DocReply
      output?: DocReply
    }
  | {
      ok: false
      /** A sentence for the person: the rules' refusal, or why the host could not act. */
      reason: string
      /** The host's copy misses some of the window's changes: send them beyond these vectors. */
      needs?: { workspace?: string; output?: string }
      /** The host does not know this membership (it restarted, say): register it and ask again. */
      unregistered?: true
    }
