import { EMPTY_CONTENT_REASON } from '../../../shared/host/intake.ts'
import {
  decodeText,
  extensionOf,
  INBOX_EXTENSIONS,
  type ParsedFile,
  parseIntakeFile,
} from '../../../shared/intake/parse.ts'

/**
 * A file dropped on the window becomes a draft, read by the same parser as the inbox folder (front
 * matter or a JSON envelope: title, type, source, tags, due): text only, at most 2 MB, valid UTF-8
 * without NUL bytes, with something to review. Anything else is refused with a sentence the
 * person can act on.
 */
export const MAX_DROP_BYTES = 2 * 1024 * 1024
export const DROP_EXTENSIONS = INBOX_EXTENSIONS

export type DropResult = ({ ok: true } & ParsedFile) | { ok: false; reason: string }

export function checkDropSize(name: string, size: number): string | null {
  if (!(DROP_EXTENSIONS as readonly string[]).includes(extensionOf(name)))
    return `"${name}" is not a text draft: drop a .md, .txt, .html or .json file.`
  if (size > MAX_DROP_BYTES)
    return `"${name}" is ${(size / 1024 / 1024).toFixed(1)} MB; drafts can be at most 2 MB.`
  if (size === 0) return `"${name}" is empty.`
  return null
}

export function readDroppedBytes(name: string, bytes: Uint8Array): DropResult {
  const sizeProblem = checkDropSize(name, bytes.length)
  if (sizeProblem) return { ok: false, reason: sizeProblem }
  const text = decodeText(bytes)
  if (!text.ok) return { ok: false, reason: `"${name}": ${text.reason}` }
  const parsed = parseIntakeFile(name, text.text)
  if (!parsed.ok)
    return {
      ok: false,
      reason: `"${name}": ${parsed.reason === EMPTY_CONTENT_REASON ? 'the file is empty; there is nothing to review.' : parsed.reason}`,
    }
  return { ok: true, ...parsed.value }
}
