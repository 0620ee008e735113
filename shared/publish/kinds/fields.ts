/** Settings pieces that more than one destination kind shares. */
import { z } from 'zod'
import { DEFAULT_FILE_NAME_TEMPLATE, templateProblem } from '../filename.ts'
import { PUBLISH_FORMATS } from '../formats.ts'
import type { FormField } from './spec.ts'

export const fileNameTemplate = z
  .string()
  .min(1)
  .max(300)
  .superRefine((t, ctx) => {
    const problem = t === '' ? null : templateProblem(t)
    if (problem) ctx.addIssue({ code: 'custom', message: `The file name template ${problem}.` })
  })
  .default(DEFAULT_FILE_NAME_TEMPLATE)

export const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'A path may not contain a NUL character.')

/** The settings every kind that writes files into a folder has. */
export const fileSettings = {
  path: localPath,
  format: z.enum(PUBLISH_FORMATS).default('markdown'),
  template: fileNameTemplate,
  /** Replace a file of the same name; otherwise a new name gets a numeric suffix (`-2`). */
  overwrite: z.boolean().default(false),
}

export const formatField: FormField = {
  key: 'format',
  label: 'Format',
  rule: 'Choose one of the formats in the list.',
  type: 'select',
  options: PUBLISH_FORMATS.map((f) => ({ value: f, label: f })),
}
export const templateField: FormField = {
  key: 'template',
  label: 'File name template',
  type: 'template',
  rule: 'Enter a file name template of at most 300 characters, such as {date}-{slug}.{ext}.',
}
export const overwriteField: FormField = {
  key: 'overwrite',
  label: 'Replace a file of the same name',
  type: 'checkbox',
}
