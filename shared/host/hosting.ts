/**
 * "Host this workspace on my network": the desktop app runs the relay module inside its host
 * process so teammates on the local network can sync with no server to run. These are the
 * shapes the host API's hosting methods take and return.
 */
export interface HostingStatus {
  running: boolean
  /** Address this device itself uses (loopback). */
  url?: string
  /** Addresses teammates on the local network can use (empty when bound to loopback only). */
  lanUrls: string[]
  error?: string
}

export interface HostingStarted extends HostingStatus {
  running: true
  url: string
  /** A write token for the hosting member, so this device syncs through its own relay. */
  ownToken: string
}

export interface InviteInfo {
  tokenId: string
  memberId: string
  access: 'read' | 'write'
  createdAt: number
  revoked: boolean
}

export interface CreatedInvite {
  tokenId: string
  /** The secret token to give the teammate; shown once. */
  token: string
  relayUrl: string
}
