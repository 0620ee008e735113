/**
 * Between the rendered preview and the source: where a comment's words show in the preview (to
 * highlight them), and which source range a selection in the preview is. The preview is rendered
 * Markdown, so both go by the words themselves: the same occurrence (first, second, …) of the
 * same text on both sides.
 */

/** Markdown syntax that does not show in the rendered text. */
export function renderedWords(source: string): string {
  return source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|_|`|~~)/g, '')
}

function count(haystack: string, needle: string, before: number): number {
  let n = 0
  let at = haystack.indexOf(needle)
  while (at >= 0 && at < before) {
    n++
    at = haystack.indexOf(needle, at + 1)
  }
  return n
}

function nth(haystack: string, needle: string, k: number): number {
  let at = haystack.indexOf(needle)
  for (let i = 0; i < k && at >= 0; i++) at = haystack.indexOf(needle, at + 1)
  return at
}

interface TextIndex {
  nodes: Text[]
  starts: number[]
  text: string
}

/** A suggestion's replacement shown in the preview: not part of the content's words. */
const SUGGESTED = 'ins[data-suggestion-for]'

function indexText(root: Node): TextIndex {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) =>
      n.parentElement?.closest(SUGGESTED) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  })
  const nodes: Text[] = []
  const starts: number[] = []
  let text = ''
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push(n as Text)
    starts.push(text.length)
    text += (n as Text).data
  }
  return { nodes, starts, text }
}

export interface PreviewMark {
  id: string
  kind: 'comment' | 'suggestion'
  /** The source's words under the anchor now, and where they start in the source. */
  words: string
  from: number
  /** A suggestion's replacement, shown right after the words it would replace. */
  replacement?: string
}

/** Remove earlier highlights, then wrap each thread's words in `<mark data-comment-id>`. */
export function highlightPreview(root: HTMLElement, marks: readonly PreviewMark[], source: string): void {
  for (const old of root.querySelectorAll(SUGGESTED)) old.remove()
  for (const old of root.querySelectorAll('mark[data-comment-id]')) old.replaceWith(...old.childNodes)
  root.normalize()
  const suggested: { after: HTMLElement; m: PreviewMark }[] = []
  for (const m of marks) {
    const shown = renderedWords(m.words).split('\n')[0]!.trim()
    if (!shown) continue
    const k = count(renderedWords(source.slice(0, m.from)), shown, Number.MAX_SAFE_INTEGER)
    const index = indexText(root)
    let at = nth(index.text, shown, k)
    if (at < 0) at = index.text.indexOf(shown)
    if (at < 0) continue
    const last = wrap(index, at, at + shown.length, m)
    if (last && m.replacement !== undefined) suggested.push({ after: last, m })
  }
  // Replacements go in once every anchor is placed, so they never shift another's words.
  for (const { after, m } of suggested) {
    const ins = after.ownerDocument.createElement('ins')
    ins.className = 'ov-suggest-insert'
    ins.dataset.suggestionFor = m.id
    ins.title = 'suggested'
    ins.textContent = m.replacement!
    after.after(ins)
  }
}

/** Wrap the range's words; returns the last mark (where a suggestion's replacement goes). */
function wrap(index: TextIndex, from: number, to: number, m: PreviewMark): HTMLElement | null {
  let last: HTMLElement | null = null
  // Wrap the part of every text node the range covers (a range may cross formatting).
  for (let i = index.nodes.length - 1; i >= 0; i--) {
    const node = index.nodes[i]!
    const start = index.starts[i]!
    const end = start + node.data.length
    if (end <= from || start >= to) continue
    let target = node
    const a = Math.max(from, start) - start
    const b = Math.min(to, end) - start
    if (b < target.data.length) target.splitText(b)
    if (a > 0) target = target.splitText(a)
    const mark = node.ownerDocument.createElement('mark')
    mark.className = `ov-mark ov-mark-${m.kind}`
    mark.dataset.commentId = m.id
    target.replaceWith(mark)
    mark.append(target)
    last ??= mark
  }
  return last
}

/**
 * The source range of the current selection inside the preview, or a sentence saying why there
 * is none: the selected words, the same occurrence of them in the source.
 */
export function previewSelection(
  root: HTMLElement,
  source: string,
): { from: number; to: number } | string | null {
  const sel = root.ownerDocument.getSelection()
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null
  const range = sel.getRangeAt(0)
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null
  const words = range.toString().trim()
  if (!words) return null
  const index = indexText(root)
  const i = index.nodes.indexOf(range.startContainer as Text)
  const offset = i >= 0 ? index.starts[i]! + range.startOffset : 0
  const k = count(index.text, words, offset)
  const at = nth(source, words, k) >= 0 ? nth(source, words, k) : source.indexOf(words)
  if (at < 0) return 'Those words are formatted differently in the source: select them in the source instead.'
  return { from: at, to: at + words.length }
}
