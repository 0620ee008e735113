/**
 * Bidirectional formatting characters (embeddings, overrides and isolates: U+202A–U+202E and
 * U+2066–U+2069). In a title or a name they reorder the text around them: "Invoice U+202E fdp.exe"
 * shows as "Invoice exe.pdf", and inside a sentence ("“…” was not moved: …") they reverse the
 * rest of the sentence. Nothing a member writes needs them, so every member-written string the
 * app shows goes through `stripBidi`; the CSS also isolates such strings (`unicode-bidi: isolate`)
 * so right-to-left titles stay in their own box.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '')
}
