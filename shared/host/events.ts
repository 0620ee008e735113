import { z } from 'zod'

/**
 * Host → window events, declared once: each name with the schema of its payload. The host raises
 * them from its own work (services that run with or without a window); Electron delivers them over
 * IPC (`HOST_EVENT_CHANNEL`), the web bridge as server-sent events (`HOST_EVENTS_PATH`), and both
 * windows' bridges check each payload against this map before a handler sees it.
 */
/** A published file that no longer matches its receipt, as the host's drift check found it. */
export const driftFlagSchema = z
  .object({
    destinationId: z.string().max(64),
    status: z.enum(['changed', 'missing']),
    path: z.string().max(4096),
    checkedAt: z.number(),
  })
  .strict()
export type HostDriftFlag = z.infer<typeof driftFlagSchema>

export const hostEventSchemas = {
  /** Something the host did on its own that the person should hear about (a scheduled publish). */
  notice: z
    .object({
      workspaceId: z.string().max(64),
      kind: z.enum(['info', 'error']),
      text: z.string().min(1).max(1000),
    })
    .strict(),
  /** A workspace's inbox folder status changed (a file taken or failed, a folder set): Settings shows it. */
  inbox: z
    .object({
      workspaceId: z.string().max(64),
      path: z.string().max(4096).nullable(),
      watching: z.boolean(),
      processed: z.number().int().min(0),
      failed: z.number().int().min(0),
      error: z.string().max(2000).optional(),
      lastFailure: z
        .object({ file: z.string().max(1000), reason: z.string().max(4000), at: z.number() })
        .strict()
        .optional(),
    })
    .strict(),
  /** Hosting on this device changed on its own (its relay's thread ended): Settings → Sync shows it. */
  hosting: z
    .object({
      running: z.boolean(),
      url: z.string().max(200).optional(),
      lanUrls: z.array(z.string().max(200)).max(64),
      error: z.string().max(2000).optional(),
    })
    .strict(),
  /** A submission waits in the spool for a window (a workspace kept on this device only). */
  intakeQueued: z.object({ workspaceId: z.string().max(64) }).strict(),
  /** The drift check's result for one published output changed (no flags: its files match again). */
  drift: z
    .object({
      workspaceId: z.string().max(64),
      outputId: z.string().max(64),
      flags: z.array(driftFlagSchema).max(50),
    })
    .strict(),
}

export type HostEventName = keyof typeof hostEventSchemas
export type HostEventPayload<K extends HostEventName> = z.infer<(typeof hostEventSchemas)[K]>
export type HostEvent = { [K in HostEventName]: { name: K; payload: HostEventPayload<K> } }[HostEventName]

/** The IPC channel host events travel on (main → window). */
export const HOST_EVENT_CHANNEL = 'signoff:event'
/** The web bridge's server-sent events stream (the secret goes in `?secret=`: EventSource sends no headers). */
export const HOST_EVENTS_PATH = '/host-events'

/** A host event as received, checked against its schema; null when it is not one. */
export function parseHostEvent(raw: unknown): HostEvent | null {
  if (typeof raw !== 'object' || raw === null) return null
  const { name, payload } = raw as { name?: unknown; payload?: unknown }
  if (typeof name !== 'string' || !Object.hasOwn(hostEventSchemas, name)) return null
  const parsed = hostEventSchemas[name as HostEventName].safeParse(payload)
  return parsed.success ? ({ name, payload: parsed.data } as HostEvent) : null
}
