/**
 * A file dropped on the window becomes a draft: text only (.md, .txt, .html), at most 2 MB, valid
 * UTF-8 without NUL bytes. Anything else is refused with a sentence the person can act on.
 */
export const MAX_DROP_BYTES = 2 * 1024 * 1024
export const DROP_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm'] as const

export type DropResult = { ok: true; title: string; content: string } | { ok: false; reason: string }

function extensionOf(name: string): string {
  const i = name.lastIndexOf('.')
  return i >= 0 ? name.slice(i).toLowerCase() : ''
}

export function checkDropSize(name: string, size: number): string | null {
  if (!DROP_EXTENSIONS.includes(extensionOf(name) as (typeof DROP_EXTENSIONS)[number]))
    return `"${name}" is not a text draft: drop a .md, .txt or .html file.`
  if (size > MAX_DROP_BYTES)
    return `"${name}" is ${(size / 1024 / 1024).toFixed(1)} MB; drafts can be at most 2 MB.`
  if (size === 0) return `"${name}" is empty.`
  return null
}

const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

/** A title from the first heading (Markdown `#` or HTML `<h1>`/`<title>`), else the file name. */
export function titleFor(name: string, text: string): string {
  const ext = extensionOf(name)
  if (ext === '.html' || ext === '.htm') {
    const m = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text) ?? /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)
    const t = m?.[1]
      ? decodeEntities(m[1].replace(/<[^>]+>/g, ''))
          .replace(/\s+/g, ' ')
          .trim()
      : ''
    if (t) return t.slice(0, 200)
  } else {
    for (const line of text.split('\n', 200)) {
      const m = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
      if (m?.[1]) return m[1].slice(0, 200)
    }
  }
  const base = name
    .replace(/\.[^.]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim()
  return (base || 'Dropped draft').slice(0, 200)
}

export function readDroppedBytes(name: string, bytes: Uint8Array): DropResult {
  const sizeProblem = checkDropSize(name, bytes.length)
  if (sizeProblem) return { ok: false, reason: sizeProblem }
  if (bytes.includes(0)) return { ok: false, reason: `"${name}" looks like a binary file, not text.` }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, reason: `"${name}" is not valid UTF-8 text.` }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (!text.trim()) return { ok: false, reason: `"${name}" is empty.` }
  return { ok: true, title: titleFor(name, text), content: text }
}
