/**
 * Mentions on the desktop, window or not: when someone @mentions this device's member in a
 * workspace the host holds, a desktop notification says who, where and what (the same one a
 * window asks for, by the same tag, so it shows once). Mentions written before the host started
 * (less a grace period for a late sync) are in "For me" and are not announced.
 */
import { threadIndexOf } from '../../../shared/domain/comments.ts'
import { freshMentions, mentionNotice, mentionsFor } from '../../../shared/domain/inbox.ts'
import type { WorkspaceReplica } from '../replica/workspace-replica.ts'
import { type HostContext, type HostService, watchReplicas } from './service.ts'

/** Mentions written this long before the host started still count as news (a late sync). */
export const MENTION_GRACE_MS = 2 * 60_000

export function mentions(ctx: HostContext): HostService {
  const since = ctx.now() - MENTION_GRACE_MS

  function watch(replica: WorkspaceReplica): () => void {
    let seen: Set<string> | null = null
    let queued = false
    const look = () => {
      queued = false
      if (replica.notReady()) return
      const result = freshMentions(seen, mentionsFor(replica.workspace, replica.memberId), since)
      // The first look is a baseline only for what came before the host started.
      const fresh = seen ? result.fresh : result.fresh.filter((m) => m.at >= since)
      seen = result.seen
      for (const m of fresh) {
        const n = mentionNotice(m)
        ctx.notify?.(n)
        ctx.log(`${n.title}: ${n.body}`)
      }
    }
    const soon = () => {
      if (queued) return
      queued = true
      queueMicrotask(look)
    }
    const index = threadIndexOf(replica.workspace)
    index.observe(soon)
    const off = replica.subscribe(soon)
    soon()
    return () => {
      index.unobserve(soon)
      off()
    }
  }
  // Each member on this device hears of their own mentions.
  const replicas = watchReplicas(ctx, watch, { every: true })
  return { name: 'mentions', start: replicas.start, stop: async () => replicas.stop() }
}
