import { type BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron'
import { MENU_CHANNEL } from '../../shared/host/api.ts'
import { type MenuCommand, menuCommandNames, menuCommands } from '../../shared/host/menu.ts'

/**
 * The app menu: the platform's usual roles (so undo, copy, paste, zoom, close and quit work with
 * their usual shortcuts) plus the app's own commands, which go to the focused window's renderer
 * through the preload's `onMenuCommand`. On macOS the menu stays with no window open: a command
 * then opens a window and is delivered once it has loaded (the preload keeps it until the page
 * listens). Reload and developer tools only in development.
 */
export function buildAppMenu(options: {
  isMac: boolean
  isDev: boolean
  /** The focused (or main) window, or a new one when none is open. */
  windowForCommand: () => BrowserWindow
}): Menu {
  const { isMac, isDev } = options
  const send = (command: MenuCommand) => {
    const window = options.windowForCommand()
    if (window.isDestroyed()) return
    const contents = window.webContents
    if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(MENU_CHANNEL, command))
    else contents.send(MENU_CHANNEL, command)
  }
  const commandItems = (menu: 'file' | 'edit'): MenuItemConstructorOptions[] =>
    menuCommandNames
      .filter((name) => menuCommands[name].menu === menu)
      .map((name) => ({
        id: `signoff:${name}`,
        label: menuCommands[name].label,
        accelerator: menuCommands[name].accelerator,
        click: () => send(name),
      }))

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [...commandItems('file'), { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { role: 'selectAll' },
        { type: 'separator' },
        ...commandItems('edit'),
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(isDev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Signoff', role: 'about' }] },
  ]
  return Menu.buildFromTemplate(template)
}
