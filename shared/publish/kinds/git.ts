/** A git repository on this machine: each publish writes a file and commits it, optionally pushing. */
import { z } from 'zod'
import { fileSettings, formatField, overwriteField, templateField } from './fields.ts'
import { defineKind } from './spec.ts'

// A remote name or URL for `git push`, never an option.
const gitRemote = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[^-\s][^\s]*$/)

export const gitKind = defineKind({
  kind: 'git',
  label: 'Git repository',
  schema: z.object({
    kind: z.literal('git'),
    ...fileSettings,
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
  }),
  secretFields: [],
  form: [
    [
      {
        key: 'path',
        label: 'Repository path',
        type: 'text',
        rule: 'Enter the full path of the repository’s folder on this machine, such as /home/ada/site.',
      },
    ],
    [formatField, templateField],
    [overwriteField],
    [
      { key: 'push', label: 'Push after each commit', type: 'checkbox' },
      {
        key: 'remote',
        label: 'Remote',
        type: 'text',
        optional: true,
        rule: 'A remote is a name such as origin, or a URL: no spaces, and not starting with “-”.',
      },
    ],
    [
      {
        key: 'authorName',
        label: 'Commit author name',
        type: 'text',
        optional: true,
        rule: 'A name of at most 200 characters, without “<”, “>” or line breaks.',
      },
      {
        key: 'authorEmail',
        label: 'Commit author email',
        type: 'text',
        optional: true,
        rule: 'An address such as ada@example.com.',
      },
    ],
  ],
  writesLocalFiles: true,
  testNote: 'Test creates a file in the repository’s folder and removes it; nothing is committed.',
})
