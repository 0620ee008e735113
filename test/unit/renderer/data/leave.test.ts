import { beforeEach, describe, expect, it } from 'vitest'

/** A window's localStorage, in memory (Node has none). */
class MemoryStorage {
  private items = new Map<string, string>()
  getItem = (k: string) => this.items.get(k) ?? null
  setItem = (k: string, v: string) => void this.items.set(k, String(v))
  removeItem = (k: string) => void this.items.delete(k)
  clear = () => this.items.clear()
}

const storage = new MemoryStorage()
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true })
const { AppModel } = await import('../../../../renderer/src/data/app-model.ts')
const { loadPendingLeaves, upsertWorkspaceEntry } = await import('../../../../renderer/src/data/profile.ts')

const entry = { id: 'w1', name: 'Acme', memberId: 'm1', addedAt: 1 }

function link(answer: 'ok' | 'down', told: string[]) {
  return {
    register: async () => true,
    forget: async (w: string, m: string) => {
      if (answer === 'down') throw new Error('The host did not answer.')
      told.push(`${w}/${m}`)
    },
    workOffline: async () => false,
  }
}

describe('leaving a workspace when the app’s host does not answer', () => {
  beforeEach(() => storage.clear())

  it('is kept and told at the next start, so the host stops working for it', async () => {
    upsertWorkspaceEntry(entry)
    const told: string[] = []
    const model = new AppModel()
    model.hostLink = link('down', told)
    expect(await model.leave('w1')).toBe(false)
    expect(model.entries).toEqual([])
    expect(loadPendingLeaves()).toEqual([{ workspaceId: 'w1', memberId: 'm1' }])

    // The next start, with the host back.
    const next = new AppModel()
    next.hostLink = link('ok', told)
    await next.tellPendingLeaves()
    expect(told).toEqual(['w1/m1'])
    expect(loadPendingLeaves()).toEqual([])
  })

  it('is not told when the person joined the workspace again meanwhile', async () => {
    upsertWorkspaceEntry(entry)
    const told: string[] = []
    const model = new AppModel()
    model.hostLink = link('down', told)
    await model.leave('w1')
    upsertWorkspaceEntry(entry)
    const next = new AppModel()
    next.hostLink = link('ok', told)
    await next.tellPendingLeaves()
    expect(told).toEqual([])
    expect(loadPendingLeaves()).toEqual([])
  })

  it('a host that answers is told at once and nothing is kept', async () => {
    upsertWorkspaceEntry(entry)
    const told: string[] = []
    const model = new AppModel()
    model.hostLink = link('ok', told)
    expect(await model.leave('w1')).toBe(true)
    expect(told).toEqual(['w1/m1'])
    expect(loadPendingLeaves()).toEqual([])
  })
})
