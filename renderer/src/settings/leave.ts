/**
 * What leaving would cost: nothing when the team's relay has every change (join again with an
 * invite), and the person types the workspace's name when it would lose something: a workspace
 * on no relay (this device holds its only copy) or changes the relay does not have yet.
 */
export function leaveRisk(
  name: string,
  sync: { word: string; detail: string },
  hasRelay: boolean,
): { safe: true; text: string } | { safe: false; text: string } {
  if (!hasRelay)
    return {
      safe: false,
      text: `“${name}” is on no relay: this device holds its only copy, and after you leave no one can open it again. To keep it, connect it to a relay above first.`,
    }
  if (sync.word !== 'Synced')
    return {
      safe: false,
      text: `The relay may not have every change made here yet (${sync.word}${sync.detail ? `: ${sync.detail}` : ''}): what it lacks would be lost. Wait until the status says Synced.`,
    }
  return {
    safe: true,
    text: `The team keeps “${name}” on the relay and on their devices, and you can join again with an invite.`,
  }
}
