/**
 * Bidirectional formatting characters: embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) and the directional marks (U+200E, U+200F, U+061C). In a title or a name they
 * reorder the text around them: "Invoice U+202E fdp.exe" shows as "Invoice exe.pdf", and
 * "U+202E nimda" as "admin". Nothing a member writes needs them, so member-written strings are
 * shown, stored as names and put into commit messages without them.
 */
const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g

export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '')
}
