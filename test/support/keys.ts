/**
 * Device keys for test members: one key per member id for the whole test process (as if each
 * person had one device), registered in the workspace and held so their actions are signed.
 */
import { type DeviceKey, enrollDevice, newDeviceKey, type Workspace } from '../../shared/domain/index.ts'

const keys = new Map<string, DeviceKey>()

export function deviceKeyOf(memberId: string): DeviceKey {
  let key = keys.get(memberId)
  if (!key) {
    key = newDeviceKey()
    keys.set(memberId, key)
  }
  return key
}

/** Register and hold a device key for every member of the workspace that has none yet. */
export function enrollAll(ws: Workspace, now = 1000): Workspace {
  for (const m of ws.members.all()) enrollDevice(ws, m.id, deviceKeyOf(m.id), `${m.id}'s laptop`, now)
  return ws
}
