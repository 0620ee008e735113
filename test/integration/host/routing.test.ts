import { describe, expect, it } from 'vitest'
import { perform } from '../../../shared/domain/index.ts'
import { testScope } from '../../support/scope.ts'
import { waitFor } from '../relay/helpers.ts'
import { hostEnrolled, hostFor, routeToBackup, teamFor } from './team.ts'

const scope = testScope()

/** A team whose proposals go round-robin to approvers, with rita as the backup. */
async function teamWithBackup() {
  const team = await teamFor(scope)
  return { team, ws: team.ws, type: routeToBackup(team.ws) }
}

describe('routing in the host', () => {
  it('hands an overdue review to the backup with no window open', async () => {
    const { team, ws, type } = await teamWithBackup()
    const out = await team.newOutput('o1', 'client-proposal', 'Proposal for Initech.')
    // Submitted longer ago than the type's review SLA: overdue from the start.
    const submittedAt = Date.now() - type.reviewSlaHours * 3_600_000 - 1000
    expect(perform(ws, out, 'alice', { action: 'submit' }, submittedAt).ok).toBe(true)
    expect(ws.summary('o1')?.reviewer).toBe('adam')

    await hostFor(scope, team)
    await hostEnrolled(team)
    await waitFor(() => ws.summary('o1')?.reviewer === 'rita', 'the review handed to the backup', 15_000)
    expect(ws.summary('o1')?.reassigned).toBe(true)
  })

  it('hands it over at its deadline, not before (a timer, not the sweep)', async () => {
    const { team, ws, type } = await teamWithBackup()
    await hostFor(scope, team)
    await hostEnrolled(team)
    const out = await team.newOutput('o2', 'client-proposal', 'Proposal for Initrode.')
    const connections = team.relay.relay.stats().connections
    const deadline = Date.now() + 1500
    perform(ws, out, 'alice', { action: 'submit' }, deadline - type.reviewSlaHours * 3_600_000)
    await new Promise((r) => setTimeout(r, 1000))
    expect(ws.summary('o2')?.reviewer).toBe('adam')
    // Due within the minute: the host has its document open already, so the hand-over waits
    // for no sync (which, on a loaded machine or a slow relay, could take seconds).
    expect(team.relay.relay.stats().connections).toBe(connections + 1)
    await waitFor(() => ws.summary('o2')?.reviewer === 'rita', 'the hand-over at the deadline', 5_000)
    console.log(`handed over ${Date.now() - deadline} ms after the deadline (seen at the teammate)`)
  })
})
