import { describe, expect, it } from 'vitest'
import { type HostHealth, hostHealth, reportHostHealth } from '../../../renderer/src/host/health.ts'
import { createWebHost, HostCallError } from '../../../renderer/src/host/web-client.ts'

describe('the web host client notices when the bridge is gone (issue 12 #14)', () => {
  it('reports the host lost when nothing answers, and back when it answers again', async () => {
    const reports: HostHealth[] = []
    let up = false
    const fetchImpl = (async () => {
      if (!up) throw new TypeError('fetch failed')
      return new Response(JSON.stringify({ ok: true, result: { name: 'Signoff' } }), {
        headers: { 'content-type': 'application/json' },
      })
    }) as unknown as typeof fetch
    const host = createWebHost('http://127.0.0.1:4567', 'secret', fetchImpl, (h) => reports.push(h))
    const failed = await host.appInfo(undefined).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(HostCallError)
    expect((failed as HostCallError).code).toBe('host_unreachable')
    expect(reports.at(-1)).toEqual({
      lost: true,
      message: expect.stringContaining('The Signoff host at 127.0.0.1:4567 does not answer'),
    })
    up = true
    await host.appInfo(undefined)
    expect(reports.at(-1)).toMatchObject({ lost: false })
  })

  it('a late answer to a call sent before the host was lost does not say it is back; a call sent since does', () => {
    const sentBefore = performance.now()
    reportHostHealth({ lost: true, message: 'The Signoff host does not answer.' })
    expect(hostHealth()).toEqual({ lost: true, message: 'The Signoff host does not answer.' })
    reportHostHealth({ lost: false, sentAt: sentBefore })
    expect(hostHealth().lost).toBe(true)
    reportHostHealth({ lost: false, sentAt: performance.now() })
    expect(hostHealth()).toEqual({ lost: false })
    // The event stream reopening (no call behind it) says it is back too.
    reportHostHealth({ lost: true })
    reportHostHealth({ lost: false })
    expect(hostHealth()).toEqual({ lost: false })
  })
})
