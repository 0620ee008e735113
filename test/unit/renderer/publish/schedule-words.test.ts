import { describe, expect, it } from 'vitest'
import { OVERDUE_AFTER_MS, scheduleNote } from '../../../../renderer/src/publish/schedule-words.ts'

describe('what a pending schedule says', () => {
  const base = { runAt: 100_000, destinationName: 'Shared drive', gone: false, configuredHere: true }
  it('nothing while it will go out as planned, up to a little past its time', () => {
    expect(scheduleNote({ ...base, now: 50_000 })).toBeNull()
    expect(scheduleNote({ ...base, now: 100_000 + OVERDUE_AFTER_MS - 1 })).toBeNull()
  })
  it('overdue once no machine with the destination has sent it, and whether this one could', () => {
    const now = 100_000 + OVERDUE_AFTER_MS
    expect(scheduleNote({ ...base, now })).toBe(
      'overdue: it goes out once Signoff runs on a machine where “Shared drive” is set up',
    )
    expect(scheduleNote({ ...base, now, configuredHere: false })).toBe(
      'overdue: it goes out once Signoff runs on a machine where “Shared drive” is set up (this one is not)',
    )
  })
  it('a removed destination or a hold comes first, whatever the time', () => {
    expect(scheduleNote({ ...base, now: 0, gone: true })).toBe('will not run: its destination was removed')
    expect(scheduleNote({ ...base, now: 0, hold: 'waits: the output is not approved now' })).toBe(
      'waits: the output is not approved now',
    )
  })
})
