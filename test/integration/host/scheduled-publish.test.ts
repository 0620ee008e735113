import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deriveOutput, schedulePublish } from '../../../shared/domain/index.ts'
import { testScope } from '../../support/scope.ts'
import { waitFor } from '../relay/helpers.ts'
import { approveForSite, hostEnrolled, hostFor, hostSiteFolder, teamFor } from './team.ts'

const scope = testScope()

describe('scheduled publishing in the host', () => {
  it('performs a teammate’s schedule within 1 s of its time with no window open, once', async () => {
    const team = await teamFor(scope)
    const h = await hostFor(scope, team)
    const folder = scope.dir('signoff-site-')
    await hostSiteFolder(h, team, folder)
    await hostEnrolled(team)

    const out = await team.newOutput('o1', 'client-proposal', 'Proposal for Initech: 12 weeks.')
    approveForSite(team.ws, out)
    const runAt = Date.now() + 1500
    const scheduled = schedulePublish(team.ws, out, 'alice', 'site', runAt)
    expect(scheduled.ok).toBe(true)

    await waitFor(() => deriveOutput(team.ws, out).derived.state === 'published', 'published', 8000)
    const published = deriveOutput(team.ws, out).derived.publishes.find((p) => p.status === 'published')!
    expect(published.by).toBe('otto')
    const lateness = (published.at ?? 0) - runAt
    console.log(`scheduled publish performed ${lateness} ms after its time (no window)`)
    expect(lateness).toBeGreaterThanOrEqual(0)
    expect(lateness).toBeLessThan(1000)
    const files = readdirSync(folder).filter((f) => f.endsWith('.md'))
    expect(files).toHaveLength(1)
    expect(readFileSync(join(folder, files[0]!), 'utf8')).toContain('Proposal for Initech: 12 weeks.')
    // The published event carries the host's signature: it counts in the teammate's derivation.
    expect(team.ws.summary('o1')?.state).toBe('published')
  })
})
