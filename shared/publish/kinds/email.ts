/** Email: one message per publish through an SMTP server, the manifest attached. */
import { z } from 'zod'
import { defineKind } from './spec.ts'

/** One address, bare (ada@example.com) or with a name (Ada <ada@example.com>), as nodemailer takes it. */
const ADDRESS = /^(?:[^<>@]*<[^\s<>@,]+@[^\s<>@,]+>|[^\s<>@,]+@[^\s<>@,]+)$/
const address = (max: number) => z.string().min(3).max(max).regex(ADDRESS)

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
    from: address(500),
    to: z.array(address(320)).min(1).max(100),
    timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
  }),
  secretFields: ['password'],
  form: [
    [
      {
        key: 'host',
        label: 'SMTP host',
        type: 'text',
        rule: 'Enter the SMTP server’s host name, such as smtp.example.com.',
      },
      { key: 'port', label: 'Port', type: 'number', rule: 'A port is a whole number from 1 to 65535.' },
      {
        key: 'security',
        label: 'Security',
        type: 'select',
        rule: 'Choose one of STARTTLS, TLS or None.',
        options: [
          { value: 'starttls', label: 'STARTTLS' },
          { value: 'tls', label: 'TLS' },
          { value: 'none', label: 'None (local relay only)' },
        ],
      },
    ],
    [
      { key: 'user', label: 'User name', type: 'text', rule: 'A user name is at most 500 characters.' },
      {
        key: 'password',
        label: 'Password',
        type: 'secret',
        setNote: 'Password: set',
        rule: 'A password is at most 1,000 characters.',
      },
    ],
    [
      {
        key: 'from',
        label: 'From',
        type: 'text',
        rule: 'An address such as signoff@example.com, or Signoff <signoff@example.com>.',
      },
      {
        key: 'to',
        label: 'To (comma-separated)',
        type: 'list',
        rule: 'One to 100 addresses such as bea@example.com, separated by commas.',
      },
    ],
  ],
  writesLocalFiles: false,
  testNote: 'Test connects and signs in to the SMTP server; no email is sent.',
})
