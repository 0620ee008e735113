import { MENTION_TAG } from '../../shared/domain/inbox.ts'
import type { AppInfo, HostApi } from '../../shared/host/api.ts'
import { isSafeExternalUrl } from '../../shared/host/api.ts'
import type { HostEvent } from '../../shared/host/events.ts'
import { backgroundStore, type WaitingWork, waitingWork } from './background.ts'
import { createDeviceKeyStore, publicInfo } from './device-keys.ts'
import { Hosting } from './hosting.ts'
import { createIntakeService } from './intake/service.ts'
import type { SafeStorageLike } from './publish/index.ts'
import { createPublishService, type PublishService } from './publish-service.ts'
import { Replicas } from './replica/replicas.ts'
import { type DriftService, driftChecks } from './services/drift.ts'
import { intakeDrafts } from './services/intake-drafts.ts'
import { mentions } from './services/mentions.ts'
import { routing } from './services/routing.ts'
import { scheduledPublishing } from './services/scheduled-publish.ts'
import type { HostContext, HostService } from './services/service.ts'
import { TokenIdentities } from './signing/identity.ts'
import { performForWindow, TransientCopies } from './signing/perform.ts'
import { type SyncChannel, type SyncConnection, WindowSync } from './sync/hub.ts'

export interface HostOptions {
  shell: AppInfo['shell']
  version: string
  /** How the host opens a checked link outside the app (Electron's shell, or nothing on the web). */
  openExternal?: (url: string) => Promise<void>
  /** How the host shows a desktop notification (Electron's Notification); false when it cannot. */
  notify?: (notification: { title: string; body: string; tag: string }) => boolean
  /** Where host services keep their files (the hosted relay's log and tokens). */
  dataDir?: string
  log?: (line: string) => void
  /** Intake API port (default SIGNOFF_INTAKE_PORT or 7717, a free one when taken; 0 = any). */
  intakePort?: number
  /** Electron's `safeStorage` (desktop shell): destination secrets then use the OS keychain. */
  safeStorage?: SafeStorageLike
  /** The clock publishing uses (tests). */
  now?: () => number
  /**
   * The hosted relay's thread script: the desktop build's out/main/relay-thread.js. Default:
   * sync-server/relay-thread.ts beside the source (the web shell and the tests run the source).
   */
  relayThreadEntry?: string
}

/**
 * The host services, as plain Node: no `electron` import, so the same object serves Electron IPC,
 * the localhost web bridge and the tests.
 */
export interface Host extends HostApi {
  /** Listen to the events the host raises (shared/host/events.ts); returns the unsubscribe. */
  onEvent(listener: (event: HostEvent) => void): () => void
  /**
   * A window's channel for one document (shared/host/doc-sync.ts), as the shell's transport hands
   * it over; null when the host keeps no workspaces (its log could not be opened).
   */
  connectWindow(docName: string, channel: SyncChannel, memberId?: string): SyncConnection | null
  /** What waits for the person and what is scheduled next, over every held workspace (the tray). */
  waitingWork(): WaitingWork
  close(): Promise<void>
}

/** A getter for a part only a shell with a data directory has, which says so when there is none. */
function needs<T>(what: string, part: T | null): () => T {
  return () => {
    if (!part) throw new Error(`${what} is not available in this shell: it has no data directory.`)
    return part
  }
}

/** What the host keeps in its data folder: none of it in a shell without one. */
function dataFolderParts(options: HostOptions) {
  const { dataDir, log, safeStorage, now, relayThreadEntry } = options
  if (!dataDir) return { hosting: null, publishing: null, deviceKeys: null, replicas: null }
  const hosting = new Hosting({
    dataDir,
    ...(log ? { log } : {}),
    ...(relayThreadEntry ? { relayThreadEntry } : {}),
  })
  const publishing: PublishService = createPublishService({
    dataDir,
    ...(safeStorage ? { safeStorage } : {}),
    ...(now ? { now } : {}),
  })
  const deviceKeys = createDeviceKeyStore({ dataDir, ...(safeStorage ? { safeStorage } : {}) })
  let replicas: Replicas | null = null
  try {
    replicas = new Replicas({
      dataDir,
      deviceKey: (workspaceId, memberId) => deviceKeys.get(workspaceId, memberId),
      ...(log ? { log } : {}),
    })
  } catch (error) {
    // A local log that cannot be opened must not stop the app: the windows then do the
    // background work themselves, as for a workspace the host does not hold.
    log?.(`The host cannot keep workspaces (${(error as Error).message}); windows do their work.`)
  }
  return { hosting, publishing, deviceKeys, replicas }
}

export function createHost(options: HostOptions): Host {
  const eventListeners = new Set<(event: HostEvent) => void>()
  const emit = (event: HostEvent) => {
    for (const listener of eventListeners) {
      try {
        listener(event)
      } catch {
        // One window's broken delivery does not stop the others'.
      }
    }
  }
  const { hosting, publishing, deviceKeys, replicas } = dataFolderParts(options)
  const needHosting = needs('Hosting', hosting)
  // A relay that stopped on its own is said in each hosted workspace's window, not only in the log.
  hosting?.onStopped((text, workspaceIds) => {
    for (const workspaceId of workspaceIds)
      emit({ name: 'notice', payload: { workspaceId, kind: 'error', text } })
    // Settings → Sync shows the stop, with its reason, at once.
    emit({ name: 'hosting', payload: hosting.status() })
  })
  const needPublishing = needs('Publishing', publishing)
  // A mention is shown once, whoever asks first: the host's own service or a window.
  const shownMentions = new Set<string>()
  const notify = options.notify
    ? (n: { title: string; body: string; tag: string }): boolean => {
        if (n.tag.startsWith(MENTION_TAG)) {
          if (shownMentions.has(n.tag)) return true
          shownMentions.add(n.tag)
        }
        return options.notify?.(n) ?? false
      }
    : undefined
  const services: HostService[] = []
  const context: HostContext | null = replicas
    ? {
        replicas,
        now: options.now ?? Date.now,
        log: options.log ?? (() => {}),
        emit,
        ...(notify ? { notify: (n) => void notify(n) } : {}),
      }
    : null
  if (context && publishing) services.push(scheduledPublishing(context, { publishing }))
  if (context) services.push(routing(context), mentions(context))
  const drift: DriftService | null = context && publishing ? driftChecks(context, { publishing }) : null
  if (drift) services.push(drift)
  const drafts = context ? intakeDrafts(context, { drain: (workspaceId) => intake.drain(workspaceId) }) : null
  if (drafts) services.push(drafts)
  const intake = createIntakeService({
    ...(drafts ? { drafts } : {}),
    onQueued: (workspaceId) => emit({ name: 'intakeQueued', payload: { workspaceId } }),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.intakePort !== undefined ? { intakePort: options.intakePort } : {}),
    ...(options.log ? { log: options.log } : {}),
  })
  // Settings shows an inbox folder's status as it changes, with no polling.
  intake.inbox?.onChange((status) => emit({ name: 'inbox', payload: status }))
  const identities = new TokenIdentities()
  const transients = new TransientCopies()
  const windows = replicas
    ? new WindowSync(replicas, {
        ...(options.log ? { log: options.log } : {}),
        onImported: (doc) => options.log?.(`Imported ${doc} from a window's storage into the host's log.`),
      })
    : null
  const background = backgroundStore(options.dataDir, options.shell)
  replicas?.start()
  for (const s of services) s.start()
  return {
    ...intake.methods,
    async appInfo() {
      return { name: 'Signoff', version: options.version, platform: process.platform, shell: options.shell }
    },
    async deviceKey({ workspaceId, memberId, replaceUnreadable }) {
      if (!deviceKeys) throw new Error('This shell has no data folder to keep a signing key in.')
      return publicInfo(
        await deviceKeys.get(workspaceId, memberId, { replaceUnreadable: replaceUnreadable === true }),
      )
    },
    perform: (input) =>
      performForWindow(input, {
        replicas,
        keys: deviceKeys,
        identities,
        transients,
        ...(options.now ? { now: options.now } : {}),
        ...(options.log ? { log: options.log } : {}),
      }),
    async openExternal(url) {
      if (!isSafeExternalUrl(url))
        return { opened: false, reason: 'Only http and https links can be opened.' }
      if (!options.openExternal)
        return { opened: false, reason: 'This shell cannot open links outside the app.' }
      await options.openExternal(url)
      return { opened: true }
    },
    async notify(notification) {
      return { shown: notify?.(notification) ?? false }
    },
    async hostingStatus() {
      return hosting
        ? hosting.status()
        : { running: false, lanUrls: [], error: 'Hosting is not available in this shell.' }
    },
    startHosting: async (args) => needHosting().start(args),
    stopHosting: async () => needHosting().stop(),
    createInvite: async (args) => needHosting().createInvite(args),
    listInvites: async (workspaceId) => needHosting().listInvites(workspaceId),
    async revokeInvite(tokenId) {
      return { revoked: await needHosting().revokeInvite(tokenId) }
    },
    destinationSettings: async (workspaceId) => needPublishing().list(workspaceId),
    saveDestinationSettings: async ({ workspaceId, destinationId, config }) =>
      needPublishing().save(workspaceId, destinationId, config),
    testDestinationSettings: async ({ workspaceId, destinationId, config }) =>
      needPublishing().test(config, { workspaceId, destinationId }),
    async deleteDestinationSettings({ workspaceId, destinationId }) {
      return { deleted: await needPublishing().delete(workspaceId, destinationId) }
    },
    secretStorageStatus: async () => needPublishing().secretStatus(),
    generateWebhookSecret: async () => needPublishing().generateWebhookSecret(),
    publishOutput: async (args) => needPublishing().publish(args),
    checkDrift: async (args) => needPublishing().checkDrift(args),
    async registerWorkspace(membership) {
      // Intake takes submissions for every workspace a window has opened here.
      await intake.spool?.registerWorkspace(membership.workspaceId)
      return replicas?.register(membership) ?? { workspaceId: membership.workspaceId, held: false }
    },
    driftFlags: async (workspaceId) => drift?.flags(workspaceId) ?? {},
    async forgetWorkspace(input) {
      const { workspaceId, memberId } = typeof input === 'string' ? { workspaceId: input } : input
      const known = Boolean(replicas?.get(workspaceId, memberId))
      await replicas?.forget(workspaceId, memberId)
      // No one here holds it any more: its inbox folder stops and the intake API refuses it.
      if (replicas && !replicas.holds(workspaceId)) {
        await intake.inbox?.set(workspaceId, null).catch(() => undefined)
        await intake.spool?.forgetWorkspace(workspaceId)
      }
      return { forgotten: known }
    },
    async setWorkOffline({ workspaceId, memberId, offline }) {
      const replica = replicas?.get(workspaceId, memberId)
      if (!replica?.hasRelay) return { offline: false }
      replica.setWorkOffline(offline)
      return { offline: replica.workOffline }
    },
    backgroundSettings: async () => background.get(),
    setKeepRunning: async (keep) => background.set(keep),
    waitingWork: () => waitingWork(replicas),
    connectWindow(docName, channel, memberId) {
      return windows?.connect(docName, channel, memberId) ?? null
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    async close() {
      eventListeners.clear()
      for (const s of services) await s.stop()
      transients.close()
      await replicas?.close()
      await intake.close()
      await hosting?.stop()
    },
  }
}
