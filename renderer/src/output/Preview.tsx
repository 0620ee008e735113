import { type MouseEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
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
 * Characters of source whose HTML is put on screen at once when the preview opens: more than the
 * preview's panel shows (60% of the window's height, some 30 lines). The rest follows right after
 * that first frame is drawn: a 50 KB text is some 1,300 elements, and parsing and styling them
 * all before the first frame took 25–30 ms of the 35–55 from the click to the preview drawn.
 */
const FIRST_SCREEN_CHARS = 6_000

interface Rendered {
  text: string
  html: string
  /** The sections holding the first FIRST_SCREEN_CHARS characters; `tail` is the rest. */
  head: string
  tail: string
}

/** The last rendering, kept so a preview prepared while idle shows at once (see `preparePreview`). */
let lastRendered: Rendered | null = null
/** Its sections: after an edit only the changed section is rendered again (preview-blocks.ts). */
const sections = new SectionRenderer()

function rendered(text: string): Rendered {
  if (lastRendered?.text !== text) {
    const { head, tail } = sections.renderSplit(text, FIRST_SCREEN_CHARS)
    lastRendered = { text, html: head + tail, head, tail }
  }
  return lastRendered
}

/** The preview's HTML for this text: rendered once per text, and then only where it changed. */
export function previewHtml(text: string): string {
  return rendered(text).html
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

/**
 * The content rendered as a reader will see it: Markdown to HTML through the same sanitizing
 * renderer the html publish format uses (raw HTML in the source is shown as text; links and
 * images keep only safe addresses). The app's Content-Security-Policy runs no inline script and
 * loads no remote image, and a click on a link never navigates the app.
 */
export function Preview({ text, label, marks, onSelect }: Props) {
  const content = useMemo(() => rendered(text), [text])
  const root = useRef<HTMLElement>(null)
  const select = useRef(onSelect)
  select.current = onSelect
  /** Whether the preview has been put on screen once (then every change replaces it whole). */
  const shown = useRef(false)
  /** Bumped when the rest of a long preview has arrived: its words may carry highlights. */
  const [completed, setCompleted] = useState(0)
  const stay = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('a')) e.preventDefault()
  }
  // The HTML is sanitized by markdownToSafeHtml (shared/publish/markdown.ts), which escapes raw
  // HTML and drops unsafe URLs. Opening, a long text's first screen goes in now and the rest
  // once that frame is drawn; below the panel's fold, nothing the reader sees waits for it.
  useLayoutEffect(() => {
    const el = root.current
    if (!el) return
    if (shown.current || !content.tail) {
      shown.current = true
      el.innerHTML = content.html
      el.removeAttribute('aria-busy')
      return
    }
    shown.current = true
    el.innerHTML = content.head
    // Said to assistive technology too: the region is still filling.
    el.setAttribute('aria-busy', 'true')
    let timer: ReturnType<typeof setTimeout> | undefined
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        el.insertAdjacentHTML('beforeend', content.tail)
        el.removeAttribute('aria-busy')
        setCompleted((n) => n + 1)
      }, 0)
    })
    return () => {
      cancelAnimationFrame(frame)
      if (timer !== undefined) clearTimeout(timer)
      // Not yet complete: the next run puts the whole text in.
    }
  }, [content])
  // biome-ignore lint/correctness/useExhaustiveDependencies: new content (or its rest arriving) replaced the marks
  useLayoutEffect(() => {
    if (root.current) highlightPreview(root.current, marks ?? [], text)
  }, [content, completed, marks, text])
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
  return <article ref={root} className="ov-preview" aria-label={label} onClick={stay} onKeyDown={undefined} />
}
