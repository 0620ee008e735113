/**
 * The one shape of a background service in the host: it is made from the host context, started
 * once, and stopped once. Each service runs for every workspace the host holds, window or not.
 */
import type { HostEvent } from '../../../shared/host/events.ts'
import type { Replicas } from '../replica/replicas.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'

export interface HostContext {
  replicas: Replicas
  now(): number
  log(line: string): void
  /** A desktop notification (the main process's), when the shell has one. */
  notify?(notification: { title: string; body: string; tag: string }): void
  /** Tell the windows (those open now; nothing waits for one to open). */
  emit(event: HostEvent): void
}

/**
 * What every service does with the host's replicas: watch each workspace it holds, now and as more
 * open, and on stop undo every watch. `watch` starts watching one replica and returns how to stop.
 */
export function watchReplicas(
  ctx: HostContext,
  watch: (replica: WorkspaceReplica) => () => void,
): { start(): void; stop(): void } {
  const watched = new Map<WorkspaceReplica, () => void>()
  let offOpen: (() => void) | undefined
  const add = (replica: WorkspaceReplica) => {
    if (!watched.has(replica)) watched.set(replica, watch(replica))
  }
  return {
    start() {
      offOpen = ctx.replicas.onOpen(add)
      for (const r of ctx.replicas.all()) add(r)
    },
    stop() {
      offOpen?.()
      for (const off of watched.values()) off()
      watched.clear()
    },
  }
}

export interface HostService {
  readonly name: string
  start(): void
  stop(): Promise<void>
}
