import { describe, expect, it } from 'vitest'
import { leaveRisk } from '../../../../renderer/src/settings/leave.ts'

describe('leaving a workspace on this device', () => {
  it('is safe only when the relay has every change; otherwise it says what would be lost', () => {
    const synced = { word: 'Synced', detail: '' }
    expect(leaveRisk('Acme', synced, true)).toEqual({
      safe: true,
      text: 'The team keeps “Acme” on the relay and on their devices, and you can join again with an invite.',
    })
    const noRelay = leaveRisk('Acme', { word: 'On this device', detail: '' }, false)
    expect(noRelay.safe).toBe(false)
    expect(noRelay.text).toContain('this device holds its only copy')
    for (const sync of [
      { word: 'Syncing', detail: '3 changes waiting' },
      { word: 'Offline', detail: 'Changes are kept here and merge on reconnect.' },
      { word: 'Connecting…', detail: '' },
    ]) {
      const r = leaveRisk('Acme', sync, true)
      expect(r.safe).toBe(false)
      expect(r.text).toContain(sync.word)
      expect(r.text).toContain('Wait until the status says Synced.')
    }
  })
})
