import { z } from 'zod'
import { ID_PATTERN } from '../docnames.ts'

/**
 * Intake: outputs that arrive from outside the app (an inbox folder, the local HTTP API, the
 * command line, the MCP server). The host keeps them in a durable spool until the renderer,
 * which owns the Yjs documents, turns them into drafts and acknowledges them.
 */

export const INTAKE_MAX_CONTENT_CHARS = 2_000_000
export const INTAKE_VIA = ['api', 'inbox'] as const

const text = (max: number) => z.string().max(max)
const workspaceId = z.string().regex(ID_PATTERN, 'must be an id of letters, digits, - and _')

/** The longest model name, tool name and prompt an output keeps, on every way in. */
export const SOURCE_MAX_CHARS = { model: 200, tool: 200, prompt: 20_000 } as const

export const intakeSourceSchema = z
  .object({
    model: text(SOURCE_MAX_CHARS.model).optional(),
    tool: text(SOURCE_MAX_CHARS.tool).optional(),
    prompt: text(SOURCE_MAX_CHARS.prompt).optional(),
  })
  .strict()

export const dueSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-31')
  // Date.parse takes 2026-02-30 as 2 March: only a date that reads back the same is one.
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`)
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s
  }, 'is not a date on the calendar')

/**
 * The one rule for content on every channel (API, MCP, CLI, inbox folder, a dropped file): an
 * output must have something to review. Whitespace alone is nothing.
 */
export const hasContent = (content: string): boolean => content.trim().length > 0
export const EMPTY_CONTENT_REASON = 'The content is empty: there is nothing to review.'

/** What a script, agent or inbox file submits. */
export const submissionSchema = z
  .object({
    workspaceId: workspaceId.optional(),
    title: z.string().trim().min(1, 'must not be empty').max(200),
    /** An output type's id (or its name); the app reports the item failed when there is no such type. */
    type: z.string().trim().min(1, 'must not be empty').max(100),
    content: text(INTAKE_MAX_CONTENT_CHARS).refine(hasContent, 'must not be empty or only whitespace'),
    source: intakeSourceSchema.optional(),
    tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
    due: dueSchema.optional(),
  })
  .strict()

export type Submission = z.infer<typeof submissionSchema>
export type IntakeSource = z.infer<typeof intakeSourceSchema>

/** What an inbox file, a file given to the CLI or a dropped file says about itself (intake/parse.ts). */
export interface ParsedFile {
  title: string
  /** Absent for an inbox file without a type: the app then uses the workspace's first type. */
  type?: string
  content: string
  source: IntakeSource
  tags: string[]
  due?: string
}

/** One spooled submission waiting for the renderer. */
export interface IntakeItem extends ParsedFile {
  id: string
  workspaceId: string
  receivedAt: number
  via: (typeof INTAKE_VIA)[number]
  /** The inbox file it came from. */
  fileName?: string
}

export interface IntakeChecklistRow {
  title: string
  verdict: 'pass' | 'fail' | 'na' | null
  note: string
}

/** Where an intake-created output stands, as the renderer last reported it. */
export interface IntakeStatus {
  id: string
  state: string
  title: string
  typeId: string
  approvals: number
  approvalsRequired: number
  reasons: string[]
  checklist: IntakeChecklistRow[]
}

export interface IntakeInfo {
  /** The local intake API, e.g. http://127.0.0.1:7717; null when it is not running. */
  url: string | null
  token: string | null
  dataDir: string | null
  error?: string
}

export interface InboxStatus {
  workspaceId: string
  path: string | null
  watching: boolean
  processed: number
  failed: number
  error?: string
  lastFailure?: { file: string; reason: string; at: number }
}

export const intakeStatusSchema = z
  .object({
    id: z.string().regex(ID_PATTERN),
    state: z.string().max(40),
    title: z.string().max(400),
    typeId: z.string().max(100),
    approvals: z.number().int().min(0).max(1000),
    approvalsRequired: z.number().int().min(0).max(1000),
    reasons: z.array(z.string().max(4000)).max(100),
    checklist: z
      .array(
        z
          .object({
            title: z.string().max(400),
            verdict: z.enum(['pass', 'fail', 'na']).nullable(),
            note: z.string().max(4000),
          })
          .strict(),
      )
      .max(200),
  })
  .strict()

export const intakeAckSchema = z
  .object({
    workspaceId,
    id: z.string().regex(ID_PATTERN),
    ok: z.boolean(),
    reason: z.string().max(2000).optional(),
    /** The type the output was created with (after resolving a name), for the status cache. */
    typeId: z.string().max(100).optional(),
  })
  .strict()

export const intakeReportSchema = z
  .object({ workspaceId, statuses: z.array(intakeStatusSchema).max(5000) })
  .strict()

export const setInboxSchema = z
  .object({
    workspaceId,
    path: z.string().max(4096).nullable(),
    /** The person saw that the folder already holds files it would take, and chose it anyway. */
    takeWaiting: z.boolean().optional(),
  })
  .strict()
