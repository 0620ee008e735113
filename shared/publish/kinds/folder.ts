/** A folder on this machine: each publish writes one file (and a manifest sidecar where needed). */
import { z } from 'zod'
import { fileSettings, formatField, overwriteField, templateField } from './fields.ts'
import { defineKind } from './spec.ts'

export const folderKind = defineKind({
  kind: 'folder',
  label: 'Folder',
  schema: z.object({ kind: z.literal('folder'), ...fileSettings }),
  secretFields: [],
  form: [
    [
      {
        key: 'path',
        label: 'Folder path',
        type: 'text',
        rule: 'Enter the full path of the folder on this machine, such as /home/ada/Published.',
      },
    ],
    [formatField, templateField],
    [overwriteField],
  ],
  writesLocalFiles: true,
  testNote: 'Test creates a file in the folder and removes it.',
})
