import { type MouseEvent, useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import { highlightPreview, type PreviewMark, previewSelection } from './preview-anchors.ts'
import { SectionRenderer } from './preview-blocks.ts'

interface Props {
  text: string
  label: string
  /** The open threads' words, highlighted in the rendered text. */
  marks?: readonly PreviewMark[]
  /** A selection in the preview, as the source range it is (or why it has none). */
  onSelect?: (range: { from: number; to: number } | string | null) => void
}

/**
 * The content rendered as a reader will see it: Markdown to HTML through the same sanitizing
 * renderer the html publish format uses (raw HTML in the source is shown as text; links and
 * images keep only safe addresses). The app's Content-Security-Policy runs no inline script and
 * loads no remote image, and a click on a link never navigates the app.
 */
/** The last rendering, kept so a preview prepared while idle shows at once (see `preparePreview`). */
let lastRendered: { text: string; html: string } | null = null
/** Its sections: after an edit only the changed section is rendered again (preview-blocks.ts). */
const sections = new SectionRenderer()

/** The preview's HTML for this text: rendered once per text, and then only where it changed. */
export function previewHtml(text: string): string {
  if (lastRendered?.text !== text) lastRendered = { text, html: sections.render(text) }
  return lastRendered.html
}

/**
 * Render the preview of `text` when the page is idle, so switching to Preview (or side by side)
 * only has to put it on screen. Returns a cancel function.
 */
export function preparePreview(text: () => string): () => void {
  const w = globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => number }
  const c = globalThis as { cancelIdleCallback?: (id: number) => void }
  if (!w.requestIdleCallback) {
    const t = setTimeout(() => previewHtml(text()), 200)
    return () => clearTimeout(t)
  }
  const id = w.requestIdleCallback(() => previewHtml(text()), { timeout: 2000 })
  return () => c.cancelIdleCallback?.(id)
}

export function Preview({ text, label, marks, onSelect }: Props) {
  const html = useMemo(() => previewHtml(text), [text])
  const root = useRef<HTMLElement>(null)
  const select = useRef(onSelect)
  select.current = onSelect
  const stay = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('a')) e.preventDefault()
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new html string replaced the marks
  useLayoutEffect(() => {
    if (root.current) highlightPreview(root.current, marks ?? [], text)
  }, [html, marks, text])
  useEffect(() => {
    const doc = root.current?.ownerDocument
    if (!doc) return
    const onChange = () => {
      const el = root.current
      const sel = doc.getSelection()
      // Only selections inside the preview speak for it; focus elsewhere keeps the last one.
      if (!el || !sel || sel.rangeCount === 0 || !el.contains(sel.anchorNode)) return
      select.current?.(previewSelection(el, text))
    }
    doc.addEventListener('selectionchange', onChange)
    return () => doc.removeEventListener('selectionchange', onChange)
  }, [text])
  return (
    <article
      ref={root}
      className="ov-preview"
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by markdownToSafeHtml (shared/publish/markdown.ts), which escapes raw HTML and drops unsafe URLs
      dangerouslySetInnerHTML={{ __html: html }}
      onClick={stay}
      onKeyDown={undefined}
    />
  )
}
