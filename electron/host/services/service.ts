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

/**
 * The passes a service has under way, so that stopping it waits for them: `track` each one;
 * `stopped` turns true once `stop` has begun, and no new pass should start after it.
 */
export class Passes {
  stopped = false
  private readonly running = new Set<Promise<void>>()

  track(p: Promise<void>): void {
    this.running.add(p)
    void p.finally(() => this.running.delete(p))
  }

  /** Stop watching `replicas`, then wait for the passes under way. */
  async stop(replicas: { stop(): void }): Promise<void> {
    this.stopped = true
    replicas.stop()
    await Promise.allSettled([...this.running])
  }
}

export interface HostService {
  readonly name: string
  start(): void
  stop(): Promise<void>
}
