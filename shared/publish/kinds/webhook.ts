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
      .superRefine((u, ctx) => {
        const problem = u === '' ? 'Enter the URL the receiver gave you.' : webhookUrlProblem(u)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      }),
    secret: z
      .string()
      .refine(
        (s) => parseWebhookSecret(s).ok,
        'This is not a signing secret: one is “whsec_” and 16–64 bytes in base64. Generate secret makes one.',
      ),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    maxAttempts: z.number().int().min(1).max(10).default(3),
  }),
  secretFields: ['secret'],
  form: [
    [
      {
        key: 'url',
        label: 'Webhook URL',
        type: 'text',
        placeholder: 'https://example.com/hooks/signoff',
        rule: 'A webhook URL is at most 2,048 characters.',
      },
    ],
    [
      {
        key: 'secret',
        label: 'Signing secret',
        type: 'secret',
        placeholder: 'whsec_…',
        setNote: 'Secret: set',
        generate: true,
        rule: 'Generate a secret, or paste the one the receiver gave you (it starts with “whsec_”).',
      },
    ],
    [
      {
        key: 'timeoutMs',
        label: 'Timeout (ms)',
        type: 'number',
        rule: 'A whole number of milliseconds from 100 to 120000.',
      },
      { key: 'maxAttempts', label: 'Attempts', type: 'number', rule: 'A whole number from 1 to 10.' },
    ],
  ],
  writesLocalFiles: false,
  testNote: 'Test sends one signed event of type “signoff.test”; nothing is published.',
})
