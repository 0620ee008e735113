/**
 * What the relay process does with an error nothing handled. Every connection's and document's
 * code path is guarded in relay.ts (the error closes that connection, 4500, and the relay goes
 * on), so an error that still reaches the process has no known culprit and may have left shared
 * state half-changed. A relay in that state must not keep serving: log it, flush and close what
 * can be closed (every acknowledged update is already durable), and exit 1 so the supervisor
 * (systemd, Docker, the desktop host) starts a clean one. A second error, or a shutdown that
 * takes longer than `graceMs`, exits at once.
 */
export function installCrashPolicy(opts: {
  log: (line: string) => void
  shutdown: () => Promise<void>
  exit?: (code: number) => void
  graceMs?: number
}): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  let crashing = false
  const onFatal = (kind: string, err: unknown) => {
    opts.log(`Signoff relay: ${kind}: ${(err as Error)?.stack ?? String(err)}`)
    if (crashing) {
      exit(1)
      return
    }
    crashing = true
    opts.log(
      'Signoff relay: shutting down after an unhandled error; restart it (nothing acknowledged is lost)',
    )
    setTimeout(() => exit(1), opts.graceMs ?? 5000)
    opts.shutdown().then(
      () => exit(1),
      () => exit(1),
    )
  }
  const onException = (err: unknown) => onFatal('uncaught exception', err)
  const onRejection = (err: unknown) => onFatal('unhandled rejection', err)
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}
