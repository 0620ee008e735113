/**
 * The difference between two versions of a Markdown output, rendered: one document as a reader
 * sees it (through the same sanitizing renderer as the preview and the html publish format), with
 * added words in <ins> and removed ones in <del>. The word diff marks each changed run with
 * private-use characters (removed from the texts first, so content cannot forge them), the
 * Markdown is rendered, and only then do the marks become the two fixed tags; marks that landed
 * inside a tag (a link address) are dropped. A change is marked per line, after the line's block
 * syntax ("## ", "- ", "> ", "1. "), so headings and lists still render as such.
 */
import { markdownToSafeHtml } from '../publish/markdown.ts'
import { type WordDiff, wordDiff } from './diff.ts'

const INS_OPEN = '\uE000'
const INS_CLOSE = '\uE001'
const DEL_OPEN = '\uE002'
const DEL_CLOSE = '\uE003'
const MARKS = /[\uE000-\uE003]/g
const BLOCK_START = /^(?:\s{0,3}(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+|>\s?))*/

export interface RenderedDiff {
  html: string
  added: number
  removed: number
  approximate: boolean
}

/** Wrap a changed run line by line, each mark after the line's block syntax. */
function wrap(text: string, open: string, close: string, atLineStart: boolean): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (line === '') return line
      const lead = i > 0 || atLineStart ? (BLOCK_START.exec(line)?.[0] ?? '') : ''
      const rest = line.slice(lead.length)
      return rest.trim() === '' ? line : `${lead}${open}${rest}${close}`
    })
    .join('\n')
}

/** The marked Markdown: the new text with removed runs put back where they were, marked. */
export function markedMarkdown(diff: WordDiff): string {
  let out = ''
  for (const s of diff.segments) {
    const atLineStart = out === '' || out.endsWith('\n')
    if (s.op === 'equal') out += s.text
    else if (s.op === 'added') out += wrap(s.text, INS_OPEN, INS_CLOSE, atLineStart)
    else out += wrap(s.text, DEL_OPEN, DEL_CLOSE, atLineStart)
  }
  return out
}

/** Turn the marks in rendered HTML into <ins>/<del>, dropping any that fell inside a tag. */
export function marksToTags(html: string): string {
  let out = ''
  let inTag = false
  for (const ch of html.replace(/%EE%80%8[0-3]/gi, '')) {
    if (ch === '<') inTag = true
    else if (ch === '>') inTag = false
    if (ch >= '\uE000' && ch <= '\uE003') {
      if (inTag) continue
      out +=
        ch === INS_OPEN
          ? '<ins class="diff-ins">'
          : ch === INS_CLOSE
            ? '</ins>'
            : ch === DEL_OPEN
              ? '<del class="diff-del">'
              : '</del>'
      continue
    }
    out += ch
  }
  return out
}

/** Render the change from `before` to `now` as one safe HTML document with the changes marked. */
export function renderedDiff(before: string, now: string): RenderedDiff {
  const diff = wordDiff(before.replace(MARKS, ''), now.replace(MARKS, ''))
  const html = marksToTags(markdownToSafeHtml(markedMarkdown(diff)))
  return { html, added: diff.added, removed: diff.removed, approximate: diff.approximate }
}
