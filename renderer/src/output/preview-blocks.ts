/**
 * The preview rendered section by section. Lexing 50 KB of Markdown whole takes tens of
 * milliseconds (on a loaded machine a 66 ms task in the middle of typing); an edit changes one
 * section. The text is cut where a new section must begin whatever came before it: a blank line,
 * then an ATX heading at the start of a line, outside any fenced code. Each section is rendered
 * by the same sanitizing renderer as the whole (shared/publish/markdown.ts) and kept by its text,
 * so the HTML is the whole document's HTML, and an edit re-renders only its section.
 *
 * Where a cut could change the meaning, the text is rendered whole: link reference definitions
 * (they apply across the document), raw HTML blocks (some run across blank lines, and any takes
 * in the fence markers below it), and fences that do not start a line (in a list or a quote, or
 * indented), whose end depends on their container.
 */
import { markdownToSafeHtml } from '../../../shared/publish/markdown.ts'

const HEADING = /^#{1,6}(?:[ \t]|$)/
const FENCE = /^(`{3,}|~{3,})/
/** A line's content after indentation and quote or list markers. */
const MARKERS = /^(?:[ \t]|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))+/
// Anywhere, even inside a quote or a list item: a definition there still applies to the whole text.
const REFERENCE = /\[(?:[^\]\\\n]|\\.)+\]:/

/** The text cut into sections that render to the whole text's HTML when joined; one section when it cannot be cut. */
export function previewSections(text: string): string[] {
  if (REFERENCE.test(text)) return [text]
  const sections: string[] = []
  let start = 0
  let fence: string | null = null
  let blankBefore = false
  let at = 0
  while (at <= text.length) {
    const end = text.indexOf('\n', at)
    const lineEnd = end === -1 ? text.length : end
    const line = text.slice(at, lineEnd)
    const inner = line.replace(MARKERS, '')
    if (inner !== line && /^(?:`{3,}|~{3,})/.test(inner)) return [text]
    if (!fence && /^<[A-Za-z/!?]/.test(inner)) return [text]
    if (fence) {
      const close = FENCE.exec(line)
      if (
        close?.[1] &&
        close[1][0] === fence[0] &&
        close[1].length >= fence.length &&
        !/\S/.test(line.slice(close[0].length))
      )
        fence = null
    } else {
      const open = FENCE.exec(line)
      // A backtick fence's info string may not contain a backtick; then it is no fence.
      if (open?.[1] && !(open[1][0] === '`' && line.slice(open[0].length).includes('`'))) fence = open[1]
      else if (blankBefore && at > start && HEADING.test(line)) {
        sections.push(text.slice(start, at))
        start = at
      }
    }
    blankBefore = !fence && line.trim() === ''
    if (end === -1) break
    at = end + 1
  }
  sections.push(text.slice(start))
  return sections
}

/**
 * Renders text to the preview's HTML, section by section, keeping the sections of the last
 * rendering: what did not change is not rendered again.
 */
export class SectionRenderer {
  private cache = new Map<string, string>()
  private readonly renderSection: (markdown: string) => string

  constructor(renderSection: (markdown: string) => string = markdownToSafeHtml) {
    this.renderSection = renderSection
  }

  render(text: string): string {
    return this.renderSplit(text, Number.POSITIVE_INFINITY).head
  }

  /**
   * The same HTML in two parts: `head`, the sections that hold the first `firstChars` characters
   * of the text (whole sections, so each part is whole elements), and `tail`, the rest. The
   * preview puts the head on screen first (see Preview.tsx).
   */
  renderSplit(text: string, firstChars: number): { head: string; tail: string } {
    const next = new Map<string, string>()
    let head = ''
    let tail = ''
    let read = 0
    for (const section of previewSections(text)) {
      const done = next.get(section) ?? this.cache.get(section) ?? this.renderSection(section)
      next.set(section, done)
      if (read < firstChars) head += done
      else tail += done
      read += section.length
    }
    this.cache = next
    return { head, tail }
  }
}
