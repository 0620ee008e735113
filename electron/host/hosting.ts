import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import type { CreatedInvite, HostingStarted, HostingStatus, InviteInfo } from '../../shared/host/hosting.ts'
import { listenProblem } from '../../shared/listen-problem.ts'
import { startRelayThread, type ThreadRelay } from '../../sync-server/index.ts'

export interface HostingOptions {
  /** Where the relay keeps its log and tokens (one data directory for every hosted workspace). */
  dataDir: string
  log?: (line: string) => void
  /** The relay thread's script (sync-server/relay-thread.ts; the desktop build's relay-thread.js). */
  relayThreadEntry?: string
}

/** IPv4 addresses teammates on the local network can reach this machine at. */
export function lanAddresses(): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const ni of list ?? []) if (ni.family === 'IPv4' && !ni.internal) out.push(ni.address)
  }
  return out
}

/**
 * "Host this workspace on my network": one relay, in a worker thread of the host process
 * (sync-server/thread-relay.ts), serves every workspace this person hosts. It binds to loopback
 * unless they ask for the local network.
 */
export class Hosting {
  private relay: ThreadRelay | null = null
  private lan = false
  private readonly options: HostingOptions
  private starting: Promise<ThreadRelay> | null = null
  /** Why the relay stopped on its own, until hosting starts again. */
  private stopped: string | null = null
  /** The workspaces hosted since the relay started: who hears when it stops on its own. */
  private readonly hosted = new Set<string>()
  private stoppedListener: ((text: string, workspaceIds: string[]) => void) | null = null

  constructor(options: HostingOptions) {
    this.options = options
  }

  /** Told when the relay stops on its own (an error escaped its thread), with the hosted workspaces. */
  onStopped(listener: (text: string, workspaceIds: string[]) => void): void {
    this.stoppedListener = listener
  }

  status(): HostingStatus {
    if (!this.relay) return { running: false, lanUrls: [], ...(this.stopped ? { error: this.stopped } : {}) }
    return { running: true, url: this.relay.url, lanUrls: this.lanUrls() }
  }

  private lanUrls(): string[] {
    if (!this.relay || !this.lan) return []
    return lanAddresses().map((a) => `ws://${a}:${this.relay!.port}`)
  }

  async start(args: {
    workspaceId: string
    memberId: string
    port: number
    lan: boolean
  }): Promise<HostingStarted> {
    if (this.relay && this.lan !== args.lan) await this.stop()
    if (!this.relay) {
      this.lan = args.lan
      this.starting ??= startRelayThread({
        port: args.port,
        host: args.lan ? '0.0.0.0' : '127.0.0.1',
        dataDir: join(this.options.dataDir, 'relay'),
        ...(this.options.log ? { log: this.options.log } : {}),
        ...(this.options.relayThreadEntry ? { entry: this.options.relayThreadEntry } : {}),
      })
      try {
        const relay = await this.starting
        this.relay = relay
        this.stopped = null
        relay.onExit((error) => {
          if (this.relay !== relay) return
          this.relay = null
          const reason = error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message
          this.stopped = `The relay stopped: ${reason}. Start hosting again; what it had stored is kept.`
          this.options.log?.(`Hosting: the relay's thread ended on its own (${error.message}).`)
          const workspaceIds = [...this.hosted]
          this.hosted.clear()
          this.stoppedListener?.(
            `Hosting stopped on this device: ${reason}. Teammates cannot sync through it until you start hosting again in Settings → Sync.`,
            workspaceIds,
          )
        })
      } catch (err) {
        throw new Error(
          listenProblem(err, args.port, 'port') ?? (err instanceof Error ? err.message : String(err)),
        )
      } finally {
        this.starting = null
      }
    }
    const relay = this.relay
    this.hosted.add(args.workspaceId)
    const own = await relay.createToken({
      workspaceId: args.workspaceId,
      memberId: args.memberId,
      access: 'write',
    })
    const url = `ws://127.0.0.1:${relay.port}`
    return { running: true, url, lanUrls: this.lanUrls(), ownToken: own.token }
  }

  async stop(): Promise<HostingStatus> {
    const relay = this.relay
    this.relay = null
    this.stopped = null
    this.hosted.clear()
    await relay?.close()
    return this.status()
  }

  private require(): ThreadRelay {
    if (!this.relay) throw new Error('This workspace is not hosted on this machine; start hosting first.')
    return this.relay
  }

  async createInvite(args: {
    workspaceId: string
    memberId: string
    access: 'read' | 'write'
  }): Promise<CreatedInvite> {
    const relay = this.require()
    const { id, token } = await relay.createToken(args)
    const relayUrl = this.lanUrls()[0] ?? `ws://127.0.0.1:${relay.port}`
    return { tokenId: id, token, relayUrl }
  }

  async listInvites(workspaceId: string): Promise<InviteInfo[]> {
    const relay = this.require()
    return (await relay.listTokens(workspaceId)).map((t) => ({
      tokenId: t.id,
      memberId: t.memberId,
      access: t.access,
      createdAt: t.createdAt,
      revoked: t.revoked,
    }))
  }

  async revokeInvite(tokenId: string): Promise<boolean> {
    return this.require().revokeToken(tokenId)
  }
}
