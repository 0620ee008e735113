/** The file formats a folder or git destination writes, and their file name extensions. */
export const PUBLISH_FORMATS = ['markdown', 'text', 'html', 'json'] as const
export type PublishFormat = (typeof PUBLISH_FORMATS)[number]

export const FORMAT_EXTENSIONS: Record<PublishFormat, string> = {
  markdown: 'md',
  text: 'txt',
  html: 'html',
  json: 'json',
}
