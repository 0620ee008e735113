/**
 * A window's commands when it holds more changes than one request may carry (a large paste, an
 * import, long offline work): it waits for its channel to deliver them and sends none itself.
 * The host here is a document of its own behind the real request schema, as the bridge checks it.
 */
import { fromBase64, toBase64 } from 'lib0/buffer'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HostCommands, INLINE_CHANGES_BYTES } from '../../../../renderer/src/data/host-commands.ts'
import { parseHostInput } from '../../../../shared/host/api.ts'
import type { PerformInput, PerformResult } from '../../../../shared/host/perform.ts'

function lacks(host: Y.Doc, vector: string): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(host))
  return [...Y.decodeStateVector(fromBase64(vector))].some(([c, clock]) => (have.get(c) ?? 0) < clock)
}

/** The host's copy, the window's copy, and the window's commands; `channel` delivers like a window's sync. */
function setup() {
  const host = new Y.Doc()
  const window = new Y.Doc()
  const sent: number[] = []
  let channelUp = true
  const perform = async (raw: PerformInput): Promise<PerformResult> => {
    const input = parseHostInput('perform', JSON.parse(JSON.stringify(raw)))
    sent.push(input.workspace.update?.length ?? 0)
    if (input.workspace.update) Y.applyUpdate(host, fromBase64(input.workspace.update))
    if (lacks(host, input.workspace.vector))
      return { ok: false, reason: 'lacks changes', needs: { workspace: toBase64(Y.encodeStateVector(host)) } }
    host.getMap('signed').set(String(sent.length), true)
    const since = fromBase64(input.workspace.vector)
    return {
      ok: true,
      workspace: {
        update: toBase64(Y.encodeStateAsUpdate(host, since)),
        vector: toBase64(Y.encodeStateVector(host)),
      },
    }
  }
  const commands = new HostCommands(perform, 'w1', 'alice', window)
  let deliveries = 0
  commands.saved = async () => {
    if (!channelUp) return
    deliveries++
    Y.applyUpdate(host, Y.encodeStateAsUpdate(window, Y.encodeStateVector(host)))
  }
  return {
    host,
    window,
    commands,
    sent,
    deliveries: () => deliveries,
    channelDown: () => {
      channelUp = false
    },
  }
}

/** About 2 MiB of rows, far over what a request carries (900 KiB a document). */
function bigChange(doc: Y.Doc) {
  const rows = doc.getMap('rows')
  doc.transact(() => {
    for (let i = 0; i < 10_000; i++) rows.set(`o${i}`, { id: `o${i}`, title: `Output ${i} `.repeat(15) })
  })
}

describe('a command after more changes than one request carries', () => {
  it('a small change goes with the command, in one request', async () => {
    const t = setup()
    expect(await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })).toMatchObject({ ok: true })
    t.window.getMap('rows').set('o1', { title: 'One' })
    const r = await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })
    expect(r).toEqual({ ok: true, value: undefined })
    expect(t.deliveries()).toBe(0)
    expect(t.sent.length).toBe(2)
    expect(t.host.getMap('rows').get('o1')).toEqual({ title: 'One' })
  })

  it('waits for the channel to deliver a large change, then sends none of it: the command is recorded', async () => {
    const t = setup()
    expect(await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })).toMatchObject({ ok: true })
    bigChange(t.window)
    expect(Y.encodeStateAsUpdate(t.window).length).toBeGreaterThan(1024 * 1024)
    const r = await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })
    expect(r.ok).toBe(true)
    expect(t.deliveries()).toBe(1)
    expect(Math.max(...t.sent)).toBeLessThanOrEqual(INLINE_CHANGES_BYTES)
    expect(t.host.getMap('rows').size).toBe(10_000)
    // The host's signed change came back to the window.
    expect(t.window.getMap('signed').size).toBe(2)
  })

  it('the first command of a window with a large change unknown to the host waits for the channel too', async () => {
    const t = setup()
    bigChange(t.window)
    // No vector known yet: only deletions go; the host answers that it lacks the rest.
    const r = await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })
    expect(r.ok).toBe(true)
    expect(t.deliveries()).toBe(1)
    expect(Math.max(...t.sent)).toBeLessThanOrEqual(INLINE_CHANGES_BYTES)
  })

  it('with the channel down, a change too large to carry is refused in a sentence and nothing is lost', async () => {
    const t = setup()
    expect(await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })).toMatchObject({ ok: true })
    t.channelDown()
    bigChange(t.window)
    const r = await t.commands.onWorkspace({ name: 'enrollDevice', args: {} })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/^The host could not record this: /)
    expect(t.window.getMap('rows').size).toBe(10_000)
  })
})
