import { type IpcMainInvokeEvent, ipcMain } from 'electron'
import { type HostApi, hostChannel, hostMethodNames, parseHostInput } from '../../shared/host/api.ts'

/**
 * One handler per host method. Every call is checked twice before it reaches the host: the
 * sender must be the app's own top frame, and the argument must match the method's schema.
 */
export function registerHostIpc(
  host: HostApi,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  for (const name of hostMethodNames) {
    ipcMain.handle(hostChannel(name), async (event, input: unknown) => {
      if (!isTrustedSender(event))
        throw new Error(`Refused ${name}: the call did not come from the app's window.`)
      const parsed = parseHostInput(name, input)
      const handler = host[name] as (arg: typeof parsed) => Promise<unknown>
      return handler(parsed)
    })
  }
}
