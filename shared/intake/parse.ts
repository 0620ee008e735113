import { z } from 'zod'
import {
  dueSchema,
  EMPTY_CONTENT_REASON,
  hasContent,
  INTAKE_MAX_CONTENT_CHARS,
  type IntakeSource,
  type ParsedFile,
  SOURCE_MAX_CHARS,
} from '../host/intake.ts'
import { count, submissionIssueInWords } from '../host/issue-words.ts'

/**
 * The one reader of a text file's self-description, used by every channel that takes files: the
 * inbox folder and the CLI (in the host) and a file dropped on the window (in the renderer).
 */

export type { ParsedFile }

export type ParseResult = { ok: true; value: ParsedFile } | { ok: false; reason: string }

export const INBOX_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.json'] as const

const fail = (reason: string): ParseResult => ({ ok: false, reason })

/** ".md" for "notes/a.md"; "" for "README" or ".hidden" (as node:path's extname). */
export function extensionOf(fileName: string): string {
  const base = baseName(fileName)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot).toLowerCase() : ''
}

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
}

function stemOf(fileName: string): string {
  const base = baseName(fileName)
  const ext = extensionOf(base)
  return ext ? base.slice(0, -ext.length) : base
}

/** Text or not: NUL bytes or invalid UTF-8 mean a binary file. */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.includes(0))
    return { ok: false, reason: 'It is a binary file (it contains NUL bytes), not text.' }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text }
  } catch {
    return { ok: false, reason: 'It is not valid UTF-8 text (a binary file or another encoding).' }
  }
}

/** "a, b" or ["a", "b"] or a YAML list → tags. */
function toTags(value: unknown): string[] | string {
  const list =
    typeof value === 'string'
      ? value
          .replace(/^\[|\]$/g, '')
          .split(',')
          .map((t) => unquote(t.trim()))
      : Array.isArray(value)
        ? value.map((t) => (typeof t === 'string' ? t.trim() : ''))
        : null
  if (!list) return 'tags must be a list of words'
  const tags = list.filter(Boolean)
  if (tags.some((t) => t.length > 60)) return 'a tag is longer than 60 characters'
  return tags.slice(0, 30)
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.at(-1) === '"') || (s[0] === "'" && s.at(-1) === "'"))) {
    if (s[0] === '"') {
      try {
        return JSON.parse(s) as string
      } catch {
        return s.slice(1, -1)
      }
    }
    return s.slice(1, -1).replace(/''/g, "'")
  }
  return s
}

type Yamlish = Record<string, string | string[] | Record<string, string>>

/**
 * The small YAML subset front matter uses: `key: value`, quoted values, `key:` followed by
 * indented `- item` lines or indented `sub: value` lines, comments and blank lines. Anything else
 * is reported as malformed rather than guessed at.
 */
export function parseFrontMatterBlock(
  block: string,
): { ok: true; data: Yamlish } | { ok: false; reason: string } {
  const data: Yamlish = {}
  let open: string | null = null
  const lines = block.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (!line.trim() || line.trim().startsWith('#')) continue
    const indented = /^\s+/.test(line)
    if (indented) {
      if (!open) return { ok: false, reason: `line ${i + 2}: unexpected indentation` }
      const item = /^\s+-\s+(.*)$/.exec(line)
      const sub = /^\s+([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line)
      const current = data[open]
      if (item) {
        if (current !== undefined && !Array.isArray(current))
          return { ok: false, reason: `line ${i + 2}: a list item under "${open}", which is not a list` }
        data[open] = [...((current as string[] | undefined) ?? []), unquote((item[1] ?? '').trim())]
      } else if (sub) {
        if (current !== undefined && (Array.isArray(current) || typeof current === 'string'))
          return { ok: false, reason: `line ${i + 2}: "${sub[1]}" under "${open}", which is not a map` }
        data[open] = {
          ...((current as Record<string, string> | undefined) ?? {}),
          [sub[1]!]: unquote((sub[2] ?? '').trim()),
        }
      } else return { ok: false, reason: `line ${i + 2}: cannot read "${line.trim().slice(0, 60)}"` }
      continue
    }
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line)
    if (!m)
      return {
        ok: false,
        reason: `line ${i + 2}: expected "key: value", found "${line.trim().slice(0, 60)}"`,
      }
    const key = m[1]!.toLowerCase()
    const raw = (m[2] ?? '').trim()
    if (key in data) return { ok: false, reason: `line ${i + 2}: "${key}" is given twice` }
    if (raw === '') {
      open = key
      continue
    }
    open = null
    if (/^["']/.test(raw) && !(raw.length >= 2 && raw.at(-1) === raw[0]))
      return { ok: false, reason: `line ${i + 2}: unterminated quote in "${key}"` }
    if (raw.startsWith('[') && !raw.endsWith(']'))
      return { ok: false, reason: `line ${i + 2}: unterminated list in "${key}"` }
    data[key] = unquote(raw)
    if (raw.startsWith('[')) data[key] = raw
  }
  return { ok: true, data }
}

function fromMeta(
  meta: Record<string, unknown>,
):
  | { ok: true; value: Omit<ParsedFile, 'content' | 'title'> & { title?: string } }
  | { ok: false; reason: string } {
  const str = (k: string): string | undefined | null => {
    const v = meta[k]
    if (v === undefined || v === null || v === '') return undefined
    return typeof v === 'string' ? v : null
  }
  const out: Omit<ParsedFile, 'content' | 'title'> & { title?: string } = { source: {}, tags: [] }
  for (const k of ['title', 'type'] as const) {
    const v = str(k)
    if (v === null) return { ok: false, reason: `"${k}" must be text` }
    if (v !== undefined) {
      const max = k === 'title' ? 200 : 100
      if (v.length > max)
        return { ok: false, reason: `"${k}" is ${count(v.length)} characters: at most ${max} fit` }
      out[k] = v.trim()
    }
  }
  const src = meta.source
  const source: IntakeSource = {}
  if (src !== undefined && src !== null && src !== '') {
    if (typeof src === 'string') source.tool = src
    else if (typeof src === 'object' && !Array.isArray(src)) {
      for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
        if (k !== 'model' && k !== 'tool' && k !== 'prompt')
          return { ok: false, reason: `source.${k} is not known (use model, tool, prompt)` }
        if (typeof v !== 'string') return { ok: false, reason: `source.${k} must be text` }
        source[k] = v
      }
    } else return { ok: false, reason: '"source" must be a map of model, tool and prompt' }
  }
  for (const k of ['model', 'tool', 'prompt'] as const) {
    const v = str(k)
    if (v === null) return { ok: false, reason: `"${k}" must be text` }
    if (v !== undefined) source[k] = v
  }
  for (const k of ['model', 'tool', 'prompt'] as const) {
    const length = source[k]?.length ?? 0
    if (length > SOURCE_MAX_CHARS[k])
      return {
        ok: false,
        reason: `the source's ${k} is ${count(length)} characters: at most ${count(SOURCE_MAX_CHARS[k])} fit`,
      }
  }
  out.source = source
  if (meta.tags !== undefined && meta.tags !== '') {
    const tags = toTags(meta.tags)
    if (typeof tags === 'string') return { ok: false, reason: tags }
    out.tags = tags
  }
  const due = meta.due ?? meta.due_date ?? meta.dueDate
  if (due !== undefined && due !== '') {
    const parsed = dueSchema.safeParse(due)
    if (!parsed.success)
      return { ok: false, reason: `"due" ${parsed.error.issues[0]?.message ?? 'is not a date'}` }
    out.due = parsed.data
  }
  return { ok: true, value: out }
}

const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

/** A title from the first heading (Markdown `#`…`######`, HTML `<title>` or `<h1>`), else the file name. */
export function guessTitle(fileName: string, body: string): string {
  const ext = extensionOf(fileName)
  if (ext === '.html' || ext === '.htm') {
    const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body)
    const t = m?.[1]
      ? decodeEntities(m[1].replace(/<[^>]+>/g, ''))
          .replace(/\s+/g, ' ')
          .trim()
      : ''
    if (t) return t.slice(0, 200)
  } else if (ext !== '.json') {
    for (const line of body.split('\n', 200)) {
      const m = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
      if (m?.[1]) return m[1].slice(0, 200)
    }
  }
  const stem = stemOf(fileName).replace(/[-_]+/g, ' ').trim()
  return (stem || 'Untitled').slice(0, 200)
}

const envelopeSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    type: z.string().trim().min(1).max(100).optional(),
    content: z.string().max(INTAKE_MAX_CONTENT_CHARS),
    source: z.unknown().optional(),
    tags: z.unknown().optional(),
    due: z.unknown().optional(),
    model: z.string().optional(),
    tool: z.string().optional(),
    prompt: z.string().optional(),
  })
  .strict()

/** Read a text file's self-description: front matter for .md/.txt/.html, an envelope for .json. */
export function parseIntakeFile(fileName: string, text: string): ParseResult {
  const ext = extensionOf(fileName)
  if (!(INBOX_EXTENSIONS as readonly string[]).includes(ext))
    return fail(`"${ext || 'no extension'}" files are not taken: use .md, .txt, .html or .json.`)
  if (ext === '.json') {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      return fail(`The JSON envelope is not valid JSON: ${(error as Error).message}`)
    }
    const env = envelopeSchema.safeParse(raw)
    if (!env.success) {
      const issue = env.error.issues[0]
      return fail(
        `The JSON envelope is not {title, type, source, tags, due, content}: ${issue ? submissionIssueInWords(issue, raw) : 'it was refused.'}`,
      )
    }
    const meta = fromMeta(env.data as Record<string, unknown>)
    if (!meta.ok) return fail(`The JSON envelope is malformed: ${meta.reason}.`)
    if (!hasContent(env.data.content)) return fail(EMPTY_CONTENT_REASON)
    const { title, ...rest } = meta.value
    return {
      ok: true,
      value: {
        ...rest,
        title: title ?? guessTitle(fileName, env.data.content),
        content: env.data.content,
      },
    }
  }
  let body = text
  let meta: Record<string, unknown> = {}
  const fm = /^---[ \t]*\r?\n/.exec(text)
  if (fm) {
    const rest = text.slice(fm[0].length)
    const end = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(rest)
    if (!end) return fail('Malformed front matter: it opens with "---" but never closes with "---".')
    const block = parseFrontMatterBlock(rest.slice(0, end.index))
    if (!block.ok) return fail(`Malformed front matter: ${block.reason}.`)
    meta = block.data
    body = rest.slice(end.index + end[0].length).replace(/^\r?\n/, '')
  }
  if (text.length > INTAKE_MAX_CONTENT_CHARS)
    return fail(
      `The text is ${count(text.length)} characters: at most ${count(INTAKE_MAX_CONTENT_CHARS)} fit in one output.`,
    )
  const parsed = fromMeta(meta)
  if (!parsed.ok) return fail(`Malformed front matter: ${parsed.reason}.`)
  if (!hasContent(body)) return fail(EMPTY_CONTENT_REASON)
  const { title, ...rest } = parsed.value
  return { ok: true, value: { ...rest, title: title ?? guessTitle(fileName, body), content: body } }
}
