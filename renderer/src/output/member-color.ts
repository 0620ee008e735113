/** A stable colour per person, so their cursor and name look the same on every peer. */
export interface MemberColor {
  /** The caret and name label (white text on it stays readable). */
  color: string
  /** The selection highlight. */
  colorLight: string
}

/** FNV-1a: tiny, stable across platforms, spreads similar names apart. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function memberColor(key: string): MemberColor {
  const hue = hash(key) % 360
  // Also the member's avatar colour (chrome/presence.ts); the low lightness keeps white label
  // text readable for every hue.
  return { color: `hsl(${hue} 65% 34%)`, colorLight: `hsl(${hue} 65% 34% / 0.25)` }
}
