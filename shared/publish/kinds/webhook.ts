/** A webhook: one signed HTTP POST per publish (Standard Webhooks). */
import { z } from 'zod'
import { parseWebhookSecret } from '../webhook-sign.ts'
import { defineKind } from './spec.ts'

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

export const webhookKind = defineKind({
  kind: 'webhook',
  label: 'Webhook',
  schema: z.object({
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
  }),
  secretFields: ['secret'],
  form: [
    [{ key: 'url', label: 'Webhook URL', type: 'text', placeholder: 'https://example.com/hooks/signoff' }],
    [
      {
        key: 'secret',
        label: 'Signing secret',
        type: 'secret',
        placeholder: 'whsec_…',
        setNote: 'Secret: set',
        generate: true,
      },
    ],
    [
      { key: 'timeoutMs', label: 'Timeout (ms)', type: 'number' },
      { key: 'maxAttempts', label: 'Attempts', type: 'number' },
    ],
  ],
  writesLocalFiles: false,
  testNote: 'Test sends one signed event of type “signoff.test”; nothing is published.',
})
