/** Email: one message per publish through an SMTP server, the manifest attached. */
import { z } from 'zod'
import { defineKind } from './spec.ts'

export const emailKind = defineKind({
  kind: 'email',
  label: 'Email',
  schema: z.object({
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
  }),
  secretFields: ['password'],
  form: [
    [
      { key: 'host', label: 'SMTP host', type: 'text' },
      { key: 'port', label: 'Port', type: 'number' },
      {
        key: 'security',
        label: 'Security',
        type: 'select',
        options: [
          { value: 'starttls', label: 'STARTTLS' },
          { value: 'tls', label: 'TLS' },
          { value: 'none', label: 'None (local relay only)' },
        ],
      },
    ],
    [
      { key: 'user', label: 'User name', type: 'text' },
      { key: 'password', label: 'Password', type: 'secret', setNote: 'Password: set' },
    ],
    [
      { key: 'from', label: 'From', type: 'text' },
      { key: 'to', label: 'To (comma-separated)', type: 'list' },
    ],
  ],
  writesLocalFiles: false,
  testNote: 'Test connects and signs in to the SMTP server; no email is sent.',
})
