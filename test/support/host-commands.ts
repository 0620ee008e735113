/**
 * A window's signed commands against the real host code in this process: `performForWindow` on a
 * copy made for each request (no replica, no relay), with the test members' device keys held on
 * the host side, the argument checked by the API's schema as the bridge and IPC check it.
 */

import { performForWindow } from '../../electron/host/signing/perform.ts'
import { HostCommands, registerCommands } from '../../renderer/src/data/host-commands.ts'
import type { Workspace } from '../../shared/domain/index.ts'
import { parseHostInput } from '../../shared/host/api.ts'
import { deviceKeyOf } from './keys.ts'

export function hostFor(ws: Workspace, memberId: string): HostCommands {
  const commands = new HostCommands(
    async (input) =>
      performForWindow(parseHostInput('perform', JSON.parse(JSON.stringify(input))), {
        replicas: null,
        keys: { get: async (_w, m) => ({ ...deviceKeyOf(m), device: `${m}'s laptop` }) },
      }),
    ws.id,
    memberId,
    ws.doc,
  )
  registerCommands(ws, commands)
  return commands
}
