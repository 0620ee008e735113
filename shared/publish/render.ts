/**
 * How an output looks in a file. The approved content is always carried byte for byte: Markdown
 * puts it after the front matter, plain text is the content alone (the manifest goes in a
 * sidecar), JSON holds it as a string, and HTML renders it (Markdown to sanitized HTML, for
 * readers) and carries the exact source as JSON beside the manifest (which names its hash).
 */
import { canonicalJson } from './canonical.ts'
import { FORMAT_EXTENSIONS, type PublishFormat } from './formats.ts'
import type { PublishManifest, PublishPayload } from './manifest.ts'
import { markdownToSafeHtml } from './markdown.ts'

export { FORMAT_EXTENSIONS, PUBLISH_FORMATS, type PublishFormat } from './formats.ts'

/** The suffix of the manifest file written beside a plain-text output. */
export const SIDECAR_SUFFIX = '.signoff.json'

export interface RenderedOutput {
  ext: string
  /** The file's text (written as UTF-8). */
  text: string
  /** The manifest sidecar's text, for formats that cannot carry it inside. */
  sidecar?: string
}

export function renderOutput(format: PublishFormat, payload: PublishPayload): RenderedOutput {
  const ext = FORMAT_EXTENSIONS[format]
  switch (format) {
    case 'markdown':
      return { ext, text: `${frontMatter(payload.manifest)}${payload.content}` }
    case 'text':
      return { ext, text: payload.content, sidecar: `${canonicalJson({ manifest: payload.manifest }, 2)}\n` }
    case 'html':
      return { ext, text: html(payload) }
    case 'json':
      return { ext, text: `${canonicalJson(payload, 2)}\n` }
  }
}

const FRONT_MATTER_END = '\n---\n'

/**
 * The content of a rendered Markdown file: everything after the front matter. Returns undefined
 * when the file does not start with Signoff's front matter.
 */
export function markdownBody(fileText: string): string | undefined {
  if (!fileText.startsWith('---\n')) return undefined
  const end = fileText.indexOf(FRONT_MATTER_END, 3)
  return end === -1 ? undefined : fileText.slice(end + FRONT_MATTER_END.length)
}

function frontMatter(m: PublishManifest): string {
  const lines = [
    '---',
    `title: ${yamlString(m.title)}`,
    `date: ${yamlString(m.publishedAt)}`,
    'signoff:',
    `  outputId: ${yamlString(m.outputId)}`,
    `  workspaceId: ${yamlString(m.workspaceId)}`,
    `  typeId: ${yamlString(m.typeId)}`,
    `  typeName: ${yamlString(m.typeName)}`,
    `  risk: ${yamlString(m.risk)}`,
    `  contentHash: ${yamlString(m.contentHash)}`,
    `  publishedBy: ${yamlString(m.publishedBy)}`,
    `  publishedAt: ${yamlString(m.publishedAt)}`,
    `  destinationId: ${yamlString(m.destinationId)}`,
    `  destinationName: ${yamlString(m.destinationName)}`,
    ...yamlList(
      'approvers',
      m.approvers.map((a) => [
        ['memberId', a.memberId],
        ['name', a.name],
        ['at', a.at],
      ]),
    ),
    ...yamlList(
      'checklist',
      m.checklist.map((c) => [
        ['itemId', c.itemId],
        ['title', c.title],
        ['verdict', c.verdict],
        ['note', c.note],
        ['by', c.by],
        ...carriedRows(c.carriedFrom),
      ]),
    ),
    '---',
  ]
  return `${lines.join('\n')}\n`
}

/** A carried verdict says so in the front matter: the round and the version it was judged on. */
const carriedRows = (carried: PublishManifest['checklist'][number]['carriedFrom']): [string, string][] =>
  carried
    ? [
        ['carriedFromRound', String(carried.round)],
        ['judgedOnHash', carried.contentHash],
      ]
    : []

function yamlList(key: string, rows: [string, string][][]): string[] {
  if (rows.length === 0) return [`  ${key}: []`]
  const out = [`  ${key}:`]
  for (const row of rows)
    row.forEach(([k, v], i) => {
      out.push(`${i === 0 ? '    - ' : '      '}${k}: ${yamlString(v)}`)
    })
  return out
}

/**
 * A YAML double-quoted scalar that any YAML 1.1/1.2 parser reads back as exactly `s` (lone
 * surrogates, which UTF-8 cannot hold, become U+FFFD). JSON string syntax is a subset of YAML's
 * double-quoted style; on top of it, escape what YAML does not allow raw: C1 controls, DEL, the
 * BOM, noncharacters, and U+2028/U+2029 (line breaks to YAML 1.1).
 */
export function yamlString(s: string): string {
  const wellFormed = s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  )
  return JSON.stringify(wellFormed).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/** JSON that is safe inside a `<script>` element: nothing can close it or open a comment. */
export function scriptJson(value: unknown): string {
  return canonicalJson(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

function html(p: PublishPayload): string {
  const m = p.manifest
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(m.title)}</title>`,
    `<meta name="signoff-content-hash" content="${escapeHtml(m.contentHash)}">`,
    `<script type="application/json" id="signoff-manifest">${scriptJson(m)}</script>`,
    `<script type="application/json" id="signoff-source">${scriptJson(p.content)}</script>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(m.title)}</h1>`,
    `<article id="signoff-content">`,
    markdownToSafeHtml(p.content).trimEnd(),
    '</article>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
