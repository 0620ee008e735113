import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import type { CreatedInvite, HostingStarted, HostingStatus, InviteInfo } from '../../shared/host/hosting.ts'
import { listenProblem } from '../../shared/listen-problem.ts'
import { type Relay, startRelay } from '../../sync-server/index.ts'

export interface HostingOptions {
  /** Where the relay keeps its log and tokens (one data directory for every hosted workspace). */
  dataDir: string
  log?: (line: string) => void
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
 * "Host this workspace on my network": one relay inside the host process serves every workspace
 * this person hosts. It binds to loopback unless they ask for the local network.
 */
export class Hosting {
  private relay: Relay | null = null
  private lan = false
  private readonly options: HostingOptions
  private starting: Promise<Relay> | null = null

  constructor(options: HostingOptions) {
    this.options = options
  }

  status(): HostingStatus {
    if (!this.relay) return { running: false, lanUrls: [] }
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
      this.starting ??= startRelay({
        port: args.port,
        host: args.lan ? '0.0.0.0' : '127.0.0.1',
        dataDir: join(this.options.dataDir, 'relay'),
        ...(this.options.log ? { log: this.options.log } : {}),
      })
      try {
        this.relay = await this.starting
      } catch (err) {
        throw new Error(
          listenProblem(err, args.port, 'port') ?? (err instanceof Error ? err.message : String(err)),
        )
      } finally {
        this.starting = null
      }
    }
    const own = this.relay.createToken({
      workspaceId: args.workspaceId,
      memberId: args.memberId,
      access: 'write',
    })
    const url = `ws://127.0.0.1:${this.relay.port}`
    return { running: true, url, lanUrls: this.lanUrls(), ownToken: own.token }
  }

  async stop(): Promise<HostingStatus> {
    const relay = this.relay
    this.relay = null
    await relay?.close()
    return this.status()
  }

  private require(): Relay {
    if (!this.relay) throw new Error('This workspace is not hosted on this machine; start hosting first.')
    return this.relay
  }

  async createInvite(args: {
    workspaceId: string
    memberId: string
    access: 'read' | 'write'
  }): Promise<CreatedInvite> {
    const relay = this.require()
    const { id, token } = relay.createToken(args)
    const relayUrl = this.lanUrls()[0] ?? `ws://127.0.0.1:${relay.port}`
    return { tokenId: id, token, relayUrl }
  }

  async listInvites(workspaceId: string): Promise<InviteInfo[]> {
    const relay = this.require()
    return relay.listTokens(workspaceId).map((t) => ({
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
