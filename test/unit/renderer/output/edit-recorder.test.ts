import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { EditRecorder } from '../../../../renderer/src/output/edit-recorder.ts'
import type { Clock } from '../../../../renderer/src/state/settle.ts'
import { localOrigin } from '../../../../shared/domain/index.ts'
import { hostFor } from '../../../support/host-commands.ts'
import { setup } from '../../domain/fixture.ts'

/** A clock whose time moves only when its one timer is fired (to that timer's time). */
function fakeTimers() {
  let now = 0
  let next: { fn: () => void; at: number } | null = null
  const timers: Clock = {
    set: (fn, ms) => {
      next = { fn, at: now + ms }
      return 1
    },
    clear: () => {
      next = null
    },
    now: () => now,
  }
  const fire = () => {
    const due = next
    if (!due) return
    next = null
    now = due.at
    due.fn()
  }
  return { timers, fire, pending: () => next !== null }
}

const edits = (out: ReturnType<typeof setup>['out']) =>
  out.rawTrail().filter((e) => (e as { kind: string }).kind === 'edited') as {
    actor: string
    summary: string
    contentHash: string
  }[]

describe('edit recorder', () => {
  it('records one note per burst once typing settles, with the text since the last note', async () => {
    const { ws, out } = setup()
    const host = hostFor(ws, 'alice')
    const t = fakeTimers()
    const rec = new EditRecorder(ws, out, 'alice', 3000, t.timers)
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'ab'))
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'c'))
    expect(edits(out)).toHaveLength(0)
    expect(t.pending()).toBe(true)
    t.fire()
    await host.settled()
    expect(edits(out)).toEqual([expect.objectContaining({ actor: 'alice', summary: '+3 −0 characters' })])
    expect(ws.summary('o1')?.contentHash).toBe(out.hash())
    out.transact(localOrigin('alice'), () => out.content.delete(0, 1))
    expect(await rec.flush()).toBe(true)
    expect(edits(out)[1]?.summary).toBe('+0 −1 characters')
    expect(await rec.flush()).toBe(false)
    rec.destroy()
  })

  it("does not record another peer's edits as this person's", async () => {
    const { ws, out } = setup()
    hostFor(ws, 'alice')
    const t = fakeTimers()
    const rec = new EditRecorder(ws, out, 'alice', 3000, t.timers)
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(out.doc))
    remote.getText('content').insert(0, 'from rita ')
    Y.applyUpdate(out.doc, Y.encodeStateAsUpdate(remote), 'provider')
    expect(t.pending()).toBe(false)
    expect(await rec.flush()).toBe(false)
    // The next own edit counts only its own characters.
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'x'))
    await rec.flush()
    expect(edits(out)[0]?.summary).toBe('+1 −0 characters')
    rec.destroy()
  })

  it('flushes on destroy so leaving the output keeps the note', async () => {
    const { ws, out } = setup()
    const host = hostFor(ws, 'alice')
    const rec = new EditRecorder(ws, out, 'alice', 3000, fakeTimers().timers)
    out.transact(localOrigin('alice'), () => out.content.insert(0, 'x'))
    rec.destroy()
    await host.settled()
    expect(edits(out)).toHaveLength(1)
  })
})
