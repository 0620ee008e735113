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
 * open, and on stop undo every watch. `watch` starts watching one replica and returns how to stop;
 * a watch is undone when its replica closes, too.
 *
 * A workspace two members opened on this device has a replica per member (see Replicas): by
 * default a service watches only the one that acts for the workspace, so what must happen once
 * (a publish, a hand-over, a draft) is done once; `every` watches each member's, for what is each
 * member's own (their mentions, their outputs to route).
 */
export function watchReplicas(
  ctx: HostContext,
  watch: (replica: WorkspaceReplica) => () => void,
  options: { every?: boolean } = {},
): { start(): void; stop(): void } {
  const watched = new Map<WorkspaceReplica, () => void>()
  let offOpen: (() => void) | undefined
  const add = (replica: WorkspaceReplica) => {
    if (watched.has(replica)) return
    const off = watch(replica)
    const offClose = replica.onClose(() => {
      watched.delete(replica)
      off()
    })
    watched.set(replica, () => {
      offClose()
      off()
    })
  }
  return {
    start() {
      offOpen = options.every ? ctx.replicas.onOpen(add) : ctx.replicas.onActing(add)
      for (const r of options.every ? ctx.replicas.everyReplica() : ctx.replicas.all()) add(r)
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
