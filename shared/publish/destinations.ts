/**
 * The machine-local half of a destination: where on this machine a folder is, a webhook's secret,
 * an SMTP password. The shared workspace document holds only id, name and kind (see
 * `Destination` in domain/types.ts); these details stay in each member's data folder.
 */
import { z } from 'zod'
import { DEFAULT_FILE_NAME_TEMPLATE, templateProblem } from './filename.ts'
import { PUBLISH_FORMATS } from './render.ts'
import { parseWebhookSecret } from './webhook-sign.ts'

const template = z
  .string()
  .min(1)
  .max(300)
  .superRefine((t, ctx) => {
    const problem = templateProblem(t)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .default(DEFAULT_FILE_NAME_TEMPLATE)
const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'may not contain NUL')

export const folderConfigSchema = z.object({
  kind: z.literal('folder'),
  path: localPath,
  format: z.enum(PUBLISH_FORMATS).default('markdown'),
  template,
  /** Replace a file of the same name; otherwise a new name gets a numeric suffix (`-2`). */
  overwrite: z.boolean().default(false),
})

// A remote name or URL for `git push`, never an option.
const gitRemote = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[^-\s][^\s]*$/, 'is a remote name or URL without spaces, not an option')

export const gitConfigSchema = z.object({
  kind: z.literal('git'),
  path: localPath,
  format: z.enum(PUBLISH_FORMATS).default('markdown'),
  template,
  overwrite: z.boolean().default(false),
  push: z.boolean().default(false),
  remote: gitRemote.default('origin'),
  authorName: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^<>\n]+$/)
    .optional(),
  authorEmail: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[^<>\s]+@[^<>\s]+$/)
    .optional(),
})

export const webhookConfigSchema = z.object({
  kind: z.literal('webhook'),
  url: z
    .string()
    .max(2048)
    .refine((u) => webhookUrlProblem(u) === null, {
      message: 'is an http(s) URL without user name or password',
    }),
  secret: z
    .string()
    .refine((s) => parseWebhookSecret(s).ok, 'is a whsec_ secret (whsec_ + base64 of 16–64 bytes)'),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  maxAttempts: z.number().int().min(1).max(10).default(3),
})

export const emailConfigSchema = z.object({
  kind: z.literal('email'),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(587),
  /** 'tls': TLS from the start (port 465); 'starttls': upgrade required; 'none': plain (local relays only). */
  security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  user: z.string().max(500).default(''),
  password: z.string().max(1000).default(''),
  from: z.string().min(3).max(500),
  to: z.array(z.string().min(3).max(320)).min(1).max(100),
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
})

export const destinationConfigSchema = z.discriminatedUnion('kind', [
  folderConfigSchema,
  gitConfigSchema,
  webhookConfigSchema,
  emailConfigSchema,
])

export type FolderConfig = z.infer<typeof folderConfigSchema>
export type GitConfig = z.infer<typeof gitConfigSchema>
export type WebhookConfig = z.infer<typeof webhookConfigSchema>
export type EmailConfig = z.infer<typeof emailConfigSchema>
export type DestinationConfig = z.infer<typeof destinationConfigSchema>
/** What a caller may pass: defaults filled in by the schema. */
export type DestinationConfigInput = z.input<typeof destinationConfigSchema>

/** Which fields of each kind are secrets, kept encrypted at rest and never shown back. */
export const SECRET_FIELDS = { folder: [], git: [], webhook: ['secret'], email: ['password'] } as const

export function webhookUrlProblem(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'The webhook URL is not a valid URL.'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'A webhook URL starts with http:// or https://.'
  if (url.username || url.password) return 'A webhook URL may not carry a user name or password.'
  return null
}
