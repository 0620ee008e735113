import { type IpcMainEvent, ipcMain, MessageChannelMain } from 'electron'
import { z } from 'zod'
import { ID_PATTERN } from '../../shared/docnames.ts'
import { SYNC_OPEN_CHANNEL, SYNC_PORT_CHANNEL } from '../../shared/host/doc-sync.ts'
import type { Host } from '../host/index.ts'

const openSchema = z
  .object({
    doc: z.string().min(1).max(200),
    id: z.number().int().nonnegative(),
    /** Whose replica: two members of one workspace on this device each have their own. */
    member: z.string().regex(ID_PATTERN).optional(),
  })
  .strict()

/**
 * Windows sync their documents with the host over MessagePorts: the preload asks for one per
 * document (SYNC_OPEN_CHANNEL), the main process makes a channel, serves one end with the host's
 * WindowSync and sends the other to the window (SYNC_PORT_CHANNEL). Only the app's own top frame
 * may ask.
 */
export function registerDocSync(
  host: Pick<Host, 'connectWindow'>,
  isTrustedSender: (event: IpcMainEvent) => boolean,
): void {
  ipcMain.on(SYNC_OPEN_CHANNEL, (event: IpcMainEvent, raw: unknown) => {
    if (!isTrustedSender(event)) return
    const request = openSchema.safeParse(raw)
    if (!request.success) return
    const { port1, port2 } = new MessageChannelMain()
    const connection = host.connectWindow(
      request.data.doc,
      {
        send: (data) => port1.postMessage(data),
        close: () => port1.close(),
      },
      request.data.member,
    )
    if (!connection) {
      port1.close()
      port2.close()
      return
    }
    port1.on('message', (message: { data: unknown }) => {
      const data = message.data
      if (data instanceof Uint8Array) connection.receive(data)
    })
    port1.on('close', () => connection.closed())
    port1.start()
    event.sender.postMessage(SYNC_PORT_CHANNEL, request.data.id, [port2])
  })
}
