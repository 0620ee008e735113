import * as Y from 'yjs'
import { outputDocName } from '../../../shared/docnames.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import { type SubtleEd25519, verifyAhead } from '../../../shared/domain/signing.ts'
import { clearDirty, dirtyOutputs, hostCopied, markDirty, markHostCopied } from './host-copy.ts'
import type { OpenDocChannel } from './host-link.ts'
import { DocSync, type RelayConfig } from './sync.ts'

const CONCURRENCY = 3
/** How long one output waits to settle with the relay and the host before the pass moves on. */
const SETTLE_MS = 15_000

/** The browser's WebCrypto, when it has Ed25519 (verification ahead of derivation). */
export const subtle = (): SubtleEd25519 | undefined =>
  (globalThis.crypto?.subtle as unknown as SubtleEd25519 | undefined) ?? undefined

/** What the pass needs from its workspace session. */
export interface BackgroundContext {
  readonly workspaceId: string
  /** How this window syncs documents with the host (undefined: no host). */
  readonly host: OpenDocChannel | undefined
  /** The relay to sync with now: undefined without one, or while working offline. */
  relay(): RelayConfig | undefined
  /** Every output the workspace lists. */
  outputIds(): Iterable<string>
  /** Outputs open in this window, by id: they sync on their own. */
  readonly open: ReadonlyMap<string, unknown>
  /** Check a synced output's board row against its trail. */
  verify(output: OutputDoc): void
}

/**
 * The background pass of a workspace session: pull every output document once, a few at a time,
 * so the whole workspace works offline; and push into the host's log every output it may not
 * have: all of them once (an installation from before the host kept workspaces), then those
 * closed with changes it had not acknowledged.
 */
export class BackgroundPass {
  private queue: string[] = []
  /** Outputs being synced right now. */
  private readonly active = new Set<string>()
  /** Outputs whose row changed while they were being synced: synced and checked once more. */
  private readonly again = new Set<string>()
  private readonly done = new Set<string>()
  private loaded = false
  private stopped = false
  /** An output of this pass that the host's log did not acknowledge: the copy is not done yet. */
  private copyIncomplete = false
  private copyResolve: (() => void) | null = null
  /** Resolves once every output this window owes the host is in the host's log. */
  readonly copied: Promise<void>
  private readonly ctx: BackgroundContext

  constructor(ctx: BackgroundContext) {
    this.ctx = ctx
    this.copied = new Promise((resolve) => {
      this.copyResolve = resolve
    })
  }

  /** The session's local copy is loaded: the pass may start and the copy may complete. */
  start(): void {
    this.loaded = true
    this.schedule()
  }

  stop(): void {
    this.stopped = true
  }

  /**
   * A row another app wrote, of an output not open here: sync it again if this pass already did
   * (or once more after the sync under way). Not synced yet: the pass checks it when it gets there.
   */
  recheck(outputId: string): void {
    if (this.active.has(outputId)) this.again.add(outputId)
    else if (this.done.delete(outputId)) this.schedule()
  }

  schedule(): void {
    if (this.stopped) return
    const { host, workspaceId } = this.ctx
    const relay = Boolean(this.ctx.relay())
    const copyAll = Boolean(host) && !hostCopied(workspaceId)
    const dirty = host ? dirtyOutputs(workspaceId) : new Set<string>()
    if (!relay && !copyAll && dirty.size === 0) {
      this.copyDone()
      return
    }
    const known = new Set([...this.done, ...this.queue, ...this.active, ...this.ctx.open.keys()])
    for (const id of this.ctx.outputIds())
      if (!known.has(id) && (relay || copyAll || dirty.has(id))) this.queue.push(id)
    if (this.queue.length === 0 && this.active.size === 0) this.copyDone()
    while (this.active.size < CONCURRENCY && this.queue.length > 0) {
      const id = this.queue.shift()!
      this.active.add(id)
      void this.syncOne(id).finally(() => {
        this.active.delete(id)
        if (!this.again.delete(id)) this.done.add(id)
        this.schedule()
      })
    }
  }

  /** Every output this pass owed the host is in its log (or there is no host). */
  private copyDone() {
    if (!this.ctx.host || this.stopped || !this.loaded) return
    if (this.copyIncomplete) {
      this.copyIncomplete = false
      return
    }
    if (!hostCopied(this.ctx.workspaceId)) markHostCopied(this.ctx.workspaceId)
    this.copyResolve?.()
    this.copyResolve = null
  }

  private async syncOne(outputId: string) {
    const { host, workspaceId } = this.ctx
    if ([...this.ctx.open.keys()].includes(outputId)) return
    const doc = new Y.Doc()
    const relay = this.ctx.relay()
    const sync = new DocSync(outputDocName(workspaceId, outputId), doc, relay, host ? { host } : {})
    await sync.loaded
    // It may have synced while the local copy loaded: then there is nothing to wait for.
    const relaySettled = () => !relay || sync.status.state === 'synced' || !!sync.status.error
    const hostSettled = () => {
      if (!host) return true
      const h = sync.host
      return Boolean(h && ((h.synced && h.unsaved === 0) || h.refused))
    }
    const settled = () => relaySettled() && hostSettled()
    if (!settled())
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SETTLE_MS)
        const stop = sync.subscribe(() => {
          if (settled()) {
            clearTimeout(timer)
            stop()
            resolve()
          }
        })
      })
    // Synced with the relay: its row can be checked against what its trail says.
    if (sync.status.state === 'synced') {
      const output = new OutputDoc(doc, { migrate: false })
      await verifyAhead(output.scope(), output.rawTrail(), subtle()).catch(() => 0)
      this.ctx.verify(output)
    }
    if (host) {
      if (hostSettled() && !sync.host?.refused) clearDirty(workspaceId, outputId)
      else {
        this.copyIncomplete = true
        markDirty(workspaceId, outputId)
      }
    }
    await sync.flush(0)
    sync.destroy()
  }
}
