/**
 * Application close codes (RFC 6455 private range). Stock y-websocket clients stop reconnecting on
 * 4400–4499 (a decision reconnecting cannot fix) and retry on everything else, so "try again
 * later" conditions use 45xx.
 */
export const CLOSE = {
  malformed: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  tooLarge: 4413,
  /**
   * Too many messages: a "slow down" a reconnect can fix (the sync on reconnect sends in one
   * message what the cut-off messages carried), so 45xx. As 4429, stock clients gave up for good
   * and a burst of edits (10,000 quick row writes) never reached the relay.
   */
  rateLimited: 4529,
  loadFailed: 4500,
  /** An update builds on content the relay does not have: reconnect, and the sync sends it. */
  outOfSync: 4509,
  unavailable: 4503,
  goingAway: 1001,
} as const
