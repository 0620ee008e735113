import { Marked, type Tokens } from 'marked'

/**
 * Markdown to HTML that is safe to open: raw HTML in the source is shown as text (never
 * interpreted, so no script, style, iframe or event handler can get through), and links and
 * images keep only http(s), mailto and in-page or relative addresses. Text is escaped by the
 * parser itself.
 */
const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{0,2}\/|[\w-]+(?:\.[\w-]+)*(?:[/?#]|$))/i

const escapeText = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** An address a reader can follow without running anything; null for javascript:, data: and the like. */
export function safeUrl(href: string): string | null {
  // Browsers ignore controls and whitespace inside a scheme ("java\tscript:"): so do we.
  const squeezed = href.replace(/[\p{Cc}\s]/gu, '')
  if (!SAFE_URL.test(squeezed)) return null
  if (/^[\w+.-]+:/.test(squeezed) && !/^(?:https?|mailto):/i.test(squeezed)) return null
  return href
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeText(text)
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens)
      const url = safeUrl(href)
      if (url === null) return inner
      return `<a href="${escapeText(url)}"${title ? ` title="${escapeText(title)}"` : ''} rel="noopener noreferrer">${inner}</a>`
    },
    image({ href, title, text }: Tokens.Image) {
      const url = safeUrl(href)
      if (url === null) return escapeText(text)
      return `<img src="${escapeText(url)}" alt="${escapeText(text)}"${title ? ` title="${escapeText(title)}"` : ''}>`
    },
  },
})

export function markdownToSafeHtml(markdown: string): string {
  return marked.parse(markdown, { async: false })
}
