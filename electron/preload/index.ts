import { contextBridge, ipcRenderer } from 'electron'
import {
  BEFORE_QUIT_CHANNEL,
  FLUSHED_CHANNEL,
  type HostApi,
  type HostBridge,
  type HostEvents,
  hostChannel,
  hostMethodNames,
  MENU_CHANNEL,
  parseHostInput,
} from '../../shared/host/api.ts'
import { isMenuCommand, type MenuCommand } from '../../shared/host/menu.ts'

// The renderer gets exactly the host API's functions, each bound to its own channel, plus the two
// host events; no raw ipcRenderer, no event objects. The methods are built from the shared method
// list, so they cannot drift from the API the main process serves. A bad argument is refused here
// already, with the same schema the main process checks again.
const methods = Object.fromEntries(
  hostMethodNames.map((name) => [
    name,
    async (input: unknown) => ipcRenderer.invoke(hostChannel(name), parseHostInput(name, input)),
  ]),
) as unknown as HostApi

const flushers = new Set<() => Promise<void> | void>()
const menuHandlers = new Set<(command: MenuCommand) => void>()

ipcRenderer.on(BEFORE_QUIT_CHANNEL, (_event, requestId: unknown) => {
  // Every flush runs; one failing must not hold back the others or the answer.
  void Promise.allSettled([...flushers].map((flush) => Promise.resolve().then(flush))).then(() =>
    ipcRenderer.send(FLUSHED_CHANNEL, requestId),
  )
})

ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return
  for (const handler of menuHandlers) handler(command)
})

const events: HostEvents = {
  onBeforeQuit(flush) {
    if (typeof flush !== 'function') throw new TypeError('onBeforeQuit takes a function.')
    flushers.add(flush)
    return () => {
      flushers.delete(flush)
    }
  },
  onMenuCommand(handler) {
    if (typeof handler !== 'function') throw new TypeError('onMenuCommand takes a function.')
    menuHandlers.add(handler)
    return () => {
      menuHandlers.delete(handler)
    }
  },
}

contextBridge.exposeInMainWorld('signoffHost', { ...methods, ...events } satisfies HostBridge)
