/** One refusal as an operator reads it: never a token's secret, only its id. */
export interface Refusal {
  code: number
  reason: string
  doc: string
  member?: string | undefined
  token?: string | undefined
}

export type RefusalLog = (r: Refusal) => void

/**
 * Log every refusal with its code, document, member and token id, at most `perWindow` lines per
 * `windowMs`; beyond that they are counted and the count is logged when the next window opens, so
 * an attack is visible without letting the attacker fill the operator's log.
 */
export function makeRefusalLog(
  logLine: (line: string) => void,
  perWindow = 20,
  windowMs = 10_000,
): RefusalLog {
  let windowStart = 0
  let lines = 0
  let suppressed = 0
  return (r) => {
    const now = Date.now()
    if (now - windowStart >= windowMs) {
      if (suppressed > 0)
        logLine(`refused: ${suppressed} more refusals not logged in the last ${windowMs / 1000} s`)
      windowStart = now
      lines = 0
      suppressed = 0
    }
    if (lines >= perWindow) {
      suppressed++
      return
    }
    lines++
    const who = `member=${r.member ?? '-'} token=${r.token ?? '-'}`
    logLine(`refused ${r.code} doc=${JSON.stringify(r.doc)} ${who}: ${r.reason}`)
  }
}
