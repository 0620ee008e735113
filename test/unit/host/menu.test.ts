import { describe, expect, it } from 'vitest'
import {
  isMenuCommand,
  type KeyChord,
  matchesAccelerator,
  menuCommandForKey,
  menuCommandNames,
  menuCommands,
} from '../../../shared/host/menu.ts'

const chord = (key: string, mods: Partial<Omit<KeyChord, 'key'>> = {}): KeyChord => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('menu commands', () => {
  it('are a closed list', () => {
    expect(isMenuCommand('new-output')).toBe(true)
    expect(isMenuCommand('settings')).toBe(true)
    expect(isMenuCommand('toString')).toBe(false)
    expect(isMenuCommand(1)).toBe(false)
  })
  it('have distinct accelerators', () => {
    const accelerators = menuCommandNames.map((n) => menuCommands[n].accelerator)
    expect(new Set(accelerators).size).toBe(accelerators.length)
  })
})

describe('matchesAccelerator', () => {
  it('reads CmdOrCtrl as Ctrl off the Mac and Cmd on it', () => {
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n', { ctrlKey: true }), false)).toBe(true)
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n', { metaKey: true }), false)).toBe(false)
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n', { metaKey: true }), true)).toBe(true)
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n', { ctrlKey: true }), true)).toBe(false)
  })
  it('needs exactly the modifiers named', () => {
    expect(matchesAccelerator('CmdOrCtrl+N', chord('N', { ctrlKey: true, shiftKey: true }), false)).toBe(
      false,
    )
    expect(matchesAccelerator('CmdOrCtrl+N', chord('n'), false)).toBe(false)
    expect(matchesAccelerator('Shift+Alt+X', chord('x', { shiftKey: true, altKey: true }), false)).toBe(true)
  })
  it('never matches modifiers it does not know', () => {
    expect(matchesAccelerator('Hyper+N', chord('n'), false)).toBe(false)
    expect(matchesAccelerator('', chord(''), false)).toBe(false)
  })
  it('finds the command for a key press', () => {
    expect(menuCommandForKey(chord(',', { ctrlKey: true }), false)).toBe('settings')
    expect(menuCommandForKey(chord('k', { metaKey: true }), true)).toBe('find')
    expect(menuCommandForKey(chord('q', { ctrlKey: true }), false)).toBeUndefined()
  })
})
