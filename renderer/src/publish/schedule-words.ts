/** A schedule this long past its time and still pending is overdue (the host's sweep is far shorter). */
export const OVERDUE_AFTER_MS = 2 * 60_000

/**
 * What to say after a pending schedule's time, or null when it will go out as planned: its
 * destination was removed, it cannot go out as the output stands (`hold`, publishing.ts), or its
 * time has passed with no machine that has the destination set up running Signoff.
 */
export function scheduleNote(args: {
  runAt: number
  now: number
  destinationName: string
  gone: boolean
  hold?: string | null | undefined
  configuredHere: boolean
}): string | null {
  if (args.gone) return 'will not run: its destination was removed'
  if (args.hold) return args.hold
  if (args.now - args.runAt < OVERDUE_AFTER_MS) return null
  return `overdue: it goes out once Signoff runs on a machine where “${args.destinationName}” is set up${args.configuredHere ? '' : ' (this one is not)'}`
}
