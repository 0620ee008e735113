/**
 * File names from templates such as `{date}-{slug}.md`. The result is always one safe path
 * segment: whatever a title or a template holds (separators, `..`, percent-encoded or fullwidth
 * separators, NUL and control characters, bidi overrides, reserved Windows names, names that are
 * too long), it cannot name a file outside the destination folder or one Windows cannot open.
 * Subfolders are deliberately not supported: a template names a file, the destination the folder.
 */
import { FORMAT_EXTENSIONS } from './formats.ts'

export interface FileNameVars {
  /** Publish time, ISO; `{date}` is its YYYY-MM-DD, `{time}` its HHMMSS (UTC). */
  date: string
  title: string
  id: string
  /** Output type name. */
  type: string
  /** The format's extension, without the dot. */
  ext: string
  /** Defaults to a slug of the title. */
  slug?: string
  /** Content hash; `{hash}` is its first 8 hex digits. */
  hash?: string
}

export const DEFAULT_FILE_NAME_TEMPLATE = '{date}-{slug}.{ext}'
/** Most bytes in a file name (ext4, APFS and NTFS allow 255; keep room for suffixes and temp files). */
export const MAX_FILE_NAME_BYTES = 200

const PLACEHOLDER = /\{(date|time|slug|title|id|type|ext|hash)\}/g
const TEMPLATE_EXTENSION = new RegExp(`\\.(\\{ext\\}|${Object.values(FORMAT_EXTENSIONS).join('|')})$`, 'i')
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$|clock\$)$/i
// Characters Windows or POSIX refuse or treat specially in a name, and path separators.
const FORBIDDEN = /[/\\:*?"<>|]/g
// Control (Cc), format (Cf: bidi overrides, zero-width, BOM), separators other than space,
// unassigned/private/surrogate code points.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/gu
const encoder = new TextEncoder()

/** A URL-ish slug of a title: lowercase letters and digits of any script, joined by dashes. */
export function slugify(title: string): string {
  return (
    clean(title)
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'untitled'
  )
}

/**
 * Why a file-name template cannot be used, or null. A template names one file: a `/` or `\\`
 * in it would be quietly turned into `-`, so it is refused with a sentence where it is saved.
 * (Separators inside a title or other value are made safe when the name is rendered.)
 */
export function templateProblem(template: string): string | null {
  if (/[/\\]/.test(template))
    return 'names one file, so it cannot contain “/” or “\\”: put the folder in the folder path (subfolders are not supported)'
  const stripped = template.replace(PLACEHOLDER, 'x')
  if (/\{[^}]*\}/.test(stripped)) {
    const unknown = /\{[^}]*\}/.exec(stripped)?.[0]
    return `has ${unknown}, which is not a placeholder (use {date} {time} {slug} {title} {id} {type} {hash} {ext})`
  }
  return null
}

export function renderFileName(template: string, vars: FileNameVars): string {
  const ext = safeExt(vars.ext)
  const date = /^\d{4}-\d{2}-\d{2}/.exec(vars.date)?.[0] ?? 'undated'
  const time = /T(\d{2}):(\d{2}):(\d{2})/.exec(vars.date)?.slice(1).join('') ?? '000000'
  const values: Record<string, string> = {
    date,
    time,
    slug: vars.slug !== undefined ? slugify(vars.slug) : slugify(vars.title),
    title: vars.title,
    id: vars.id,
    type: vars.type,
    ext,
    hash: (vars.hash ?? '').replace(/[^0-9a-f]/gi, '').slice(0, 8),
  }
  // The format decides the extension: a trailing `.{ext}` or known extension in the template is
  // replaced by the format's, whatever the values substituted before it hold.
  const stemTemplate = (template || DEFAULT_FILE_NAME_TEMPLATE).replace(TEMPLATE_EXTENSION, '')
  let name = sanitizeSegment(stemTemplate.replace(PLACEHOLDER, (_, k: string) => values[k] ?? ''))
  if (!name) name = sanitizeSegment(`output-${vars.id}`) || 'output'
  return `${capBytes(name, MAX_FILE_NAME_BYTES - ext.length - 1)}.${ext}`
}

/**
 * One path segment from any string: decoded (so `%2F`, `%252F` and `％２Ｆ` are seen as the `/`
 * they stand for), normalised (NFKC folds fullwidth and compatibility forms), then every
 * separator, reserved character and invisible character replaced. May return ''.
 */
export function sanitizeSegment(input: string): string {
  let s = input
  for (let i = 0; i < 8; i++) {
    const next = decodePercent(clean(s).normalize('NFKC'))
    if (next === s) break
    s = next
  }
  s = clean(s).normalize('NFKC')
  // Anything still percent-encoded after the rounds above is neutralised, not decoded later.
  s = s.replace(/%(?=[0-9a-f]{2})/gi, '-')
  s = s.replace(FORBIDDEN, '-').replace(INVISIBLE, '')
  s = s.replace(/\s+/gu, ' ')
  // No `..` anywhere: a run of dots becomes one.
  s = s.replace(/\.{2,}/g, '.')
  s = s.replace(/-{2,}/g, '-')
  return finish(s)
}

/** Trim what may not start or end a name, and rename reserved Windows device names. */
function finish(name: string): string {
  let s = name.replace(/^[\s.\-_]+/u, '').replace(/[\s.]+$/u, '')
  const stem = s.split('.')[0] ?? ''
  if (RESERVED_WINDOWS.test(stem.trim())) s = `_${s}`
  return s
}

function clean(s: string): string {
  // Lone surrogates cannot be written as UTF-8; NUL and friends are removed by INVISIBLE later.
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
}

function decodePercent(s: string): string {
  return s.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      // Not valid UTF-8: decode the ASCII bytes only (so %2f still counts as a slash).
      return run.replace(/%([0-7][0-9a-f])/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    }
  })
}

function safeExt(ext: string): string {
  const e = ext.toLowerCase().replace(/[^a-z0-9]/g, '')
  return e.slice(0, 10) || 'txt'
}

/** Cut to at most `max` UTF-8 bytes on a code point boundary, and re-trim the end. */
function capBytes(s: string, max: number): string {
  if (encoder.encode(s).length <= max) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const n = encoder.encode(ch).length
    if (bytes + n > max) break
    out += ch
    bytes += n
  }
  return out.replace(/[\s.]+$/u, '') || 'output'
}
