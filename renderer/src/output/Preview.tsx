import { type MouseEvent, useMemo } from 'react'
import { markdownToSafeHtml } from '../../../shared/publish/markdown.ts'

/**
 * The content rendered as a reader will see it: Markdown to HTML through the same sanitizing
 * renderer the html publish format uses (raw HTML in the source is shown as text; links and
 * images keep only safe addresses). The app's Content-Security-Policy runs no inline script and
 * loads no remote image, and a click on a link never navigates the app.
 */
export function Preview({ text, label }: { text: string; label: string }) {
  const html = useMemo(() => markdownToSafeHtml(text), [text])
  const stay = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('a')) e.preventDefault()
  }
  return (
    <article
      className="ov-preview"
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by markdownToSafeHtml (shared/publish/markdown.ts), which escapes raw HTML and drops unsafe URLs
      dangerouslySetInnerHTML={{ __html: html }}
      onClick={stay}
      onKeyDown={undefined}
    />
  )
}
