/**
 * App-specific menu commands: the desktop menu sends them to the renderer, and the web shell
 * raises the same commands from the same shortcuts, so screens handle one list in both shells.
 * `accelerator` uses Electron's syntax; `CmdOrCtrl` is Cmd on macOS and Ctrl elsewhere.
 */
export const menuCommands = {
  'new-output': { label: 'New Output', accelerator: 'CmdOrCtrl+N', menu: 'file' },
  find: { label: 'Find…', accelerator: 'CmdOrCtrl+K', menu: 'edit' },
  settings: { label: 'Settings…', accelerator: 'CmdOrCtrl+,', menu: 'file' },
} as const satisfies Record<string, { label: string; accelerator: string; menu: 'file' | 'edit' }>

export type MenuCommand = keyof typeof menuCommands

export const menuCommandNames = Object.keys(menuCommands) as MenuCommand[]

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && Object.hasOwn(menuCommands, value)
}

/** The parts of a keyboard event an accelerator is matched against (a DOM KeyboardEvent fits). */
export interface KeyChord {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/**
 * Whether a key press is an accelerator, for the web shell, which has no native menu. Only the
 * modifiers and keys our accelerators use are understood; anything else never matches.
 */
export function matchesAccelerator(accelerator: string, chord: KeyChord, isMac: boolean): boolean {
  const parts = accelerator.split('+')
  const key = parts.pop()
  if (!key) return false
  const wanted = { ctrl: false, meta: false, shift: false, alt: false }
  for (const part of parts) {
    if (part === 'CmdOrCtrl') wanted[isMac ? 'meta' : 'ctrl'] = true
    else if (part === 'Ctrl') wanted.ctrl = true
    else if (part === 'Cmd') wanted.meta = true
    else if (part === 'Shift') wanted.shift = true
    else if (part === 'Alt') wanted.alt = true
    else return false
  }
  return (
    chord.key.toLowerCase() === key.toLowerCase() &&
    chord.ctrlKey === wanted.ctrl &&
    chord.metaKey === wanted.meta &&
    chord.shiftKey === wanted.shift &&
    chord.altKey === wanted.alt
  )
}

/** The menu command a key press stands for, if any. */
export function menuCommandForKey(chord: KeyChord, isMac: boolean): MenuCommand | undefined {
  return menuCommandNames.find((name) => matchesAccelerator(menuCommands[name].accelerator, chord, isMac))
}
