import type { HostApi } from '../../../shared/host/api.ts'
import type { IntakeItem, IntakeStatus } from '../../../shared/host/intake.ts'
import { DEFAULT_INTAKE_PORT, type IntakeApi, startIntakeApi } from './api-server.ts'
import { InboxWatcher } from './inbox.ts'
import { Spool } from './spool.ts'

export interface IntakeServiceOptions {
  dataDir?: string
  /** The intake API's port: by default SIGNOFF_INTAKE_PORT or 7717 (a free one when taken); 0 = any. */
  intakePort?: number
  /** Inbox polling (tests make it fast). */
  inboxPollMs?: number
  inboxSettleMs?: number
  log?: (line: string) => void
  /** The host's draft maker, for the workspaces the host holds (services/intake-drafts.ts). */
  drafts?: IntakeDrafts
  /** A submission was left waiting for a window (the host raises intakeQueued). */
  onQueued?: (workspaceId: string) => void
}

/** What became of an item the host tried to turn into a draft. */
export type DraftOutcome = { ok: true; typeId: string; status: IntakeStatus } | { ok: false; reason: string }

export interface IntakeDrafts {
  /** The host holds this workspace: its submissions are the host's to take, not the window's. */
  holds(workspaceId: string): boolean
  /** Make the draft; resolves once it is durable, or with null while the host cannot take it yet. */
  make(item: IntakeItem): Promise<DraftOutcome | null>
  /** Where an output stands, read from the host's replica (null when no held workspace has it). */
  status(id: string): Promise<(IntakeStatus & { workspaceId: string }) | null>
}

/** A submission the host could not take yet is offered again after this long. */
const DRAIN_RETRY_MS = 5000

type IntakeMethods = Pick<
  HostApi,
  'intakeInfo' | 'intakePending' | 'intakeAck' | 'intakeReportStatus' | 'setInbox' | 'inboxStatus'
>

export interface IntakeService {
  methods: IntakeMethods
  spool: Spool | null
  inbox: InboxWatcher | null
  ready: Promise<IntakeApi | null>
  /** Offer every waiting submission of a workspace to the draft maker (it became ready). */
  drain(workspaceId: string): Promise<void>
  close(): Promise<void>
}

/** A shell without a data directory: intake says it is not available, and holds nothing. */
function noIntake(): IntakeService {
  const none = () => {
    throw new Error('Intake is not available in this shell: it has no data directory.')
  }
  return {
    methods: {
      intakeInfo: async () => ({
        url: null,
        token: null,
        dataDir: null,
        error: 'Intake is not available in this shell.',
      }),
      intakePending: async () => [],
      intakeAck: async () => none(),
      intakeReportStatus: async () => none(),
      setInbox: async () => none(),
      inboxStatus: async (workspaceId) => ({
        workspaceId,
        path: null,
        watching: false,
        processed: 0,
        failed: 0,
      }),
    },
    spool: null,
    inbox: null,
    ready: Promise.resolve(null),
    drain: async () => {},
    close: async () => {},
  }
}

type Ack = (args: {
  workspaceId: string
  id: string
  ok: boolean
  reason?: string
  typeId?: string
}) => Promise<IntakeItem | null>

/** Let the host's draft maker take each submission to a workspace it holds as it arrives. */
function takeIntoDrafts(
  spool: Spool,
  drafts: IntakeDrafts,
  ack: Ack,
  log: ((line: string) => void) | undefined,
) {
  spool.setTaker(async (item) => {
    const outcome = await drafts.make(item)
    if (!outcome) return null
    // The draft is durable in the host's log: that is the acknowledgement the submitter gets.
    // Moving the spool file on follows; after a crash in between, the draft is found and the
    // file moved at the next start.
    const moved = ack({
      workspaceId: item.workspaceId,
      id: item.id,
      ok: outcome.ok,
      ...(outcome.ok ? { typeId: outcome.typeId } : { reason: outcome.reason }),
    }).catch((e: unknown) => log?.(`Intake could not move ${item.id} on: ${String(e)}`))
    // A refused item has no draft to answer a status from: its file in failed/ is the answer, so
    // the submitter hears "failed" only once a status call would say the same.
    if (!outcome.ok) await moved
    return outcome
  })
}

/**
 * Offering a workspace's waiting submissions to the draft maker, again after DRAIN_RETRY_MS while
 * one cannot be taken yet; `stop` cancels the retries.
 */
function spoolDrainer(spool: Spool, drafts: IntakeDrafts | undefined) {
  const retries = new Map<string, NodeJS.Timeout>()
  let stopped = false
  async function drain(workspaceId: string): Promise<void> {
    if (!drafts) return
    clearTimeout(retries.get(workspaceId))
    retries.delete(workspaceId)
    const offered = new Set<string>()
    for (;;) {
      // Items being moved on after their draft was made are still listed: the listing leaves out
      // those offered, so each is offered once and the batch reaches the ones behind them.
      const items = await spool.pending(workspaceId, undefined, offered)
      if (items.length === 0) return
      for (const i of items) offered.add(i.id)
      const results = await Promise.all(items.map((item) => spool.offer(item)))
      if (results.some((r) => r === null)) {
        // One could not be taken yet (its workspace or its document not ready): try again soon.
        if (drafts.holds(workspaceId) && !stopped)
          retries.set(
            workspaceId,
            setTimeout(() => void drain(workspaceId).catch(() => {}), DRAIN_RETRY_MS),
          )
        if (results.every((r) => r === null)) return
      }
    }
  }
  const stop = () => {
    stopped = true
    for (const t of retries.values()) clearTimeout(t)
  }
  return { drain, stop }
}

/**
 * Intake inside the host process: the spool, the inbox watcher and the local API, started when
 * the host has a data directory (Electron main and the web bridge), plus the host API methods the
 * renderer uses to drain the spool and report statuses.
 */
export function createIntakeService(options: IntakeServiceOptions): IntakeService {
  const dataDir = options.dataDir
  if (!dataDir) return noIntake()
  const spool = new Spool(dataDir, options.log)
  spool.onQueued = options.onQueued
  const inbox = new InboxWatcher({
    spool,
    ...(options.inboxPollMs !== undefined ? { pollMs: options.inboxPollMs } : {}),
    ...(options.inboxSettleMs !== undefined ? { settleMs: options.inboxSettleMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  })
  const drafts = options.drafts
  const ack: Ack = async (args) => {
    const item = await spool.ack(args)
    if (item) await inbox.settled(args.workspaceId, item, args.ok, args.reason)
    return item
  }
  if (drafts) takeIntoDrafts(spool, drafts, ack, options.log)
  const drainer = spoolDrainer(spool, drafts)
  const envPort = process.env.SIGNOFF_INTAKE_PORT ? Number(process.env.SIGNOFF_INTAKE_PORT) : undefined
  const port = options.intakePort ?? envPort ?? DEFAULT_INTAKE_PORT
  let apiError: string | undefined
  const ready: Promise<IntakeApi | null> = (async () => {
    await spool.ready()
    await inbox.start()
    try {
      return await startIntakeApi({
        port,
        fallbackToFreePort: true,
        dataDir,
        spool,
        ...(drafts ? { drafts } : {}),
      })
    } catch (error) {
      apiError = `The intake API could not start: ${(error as Error).message}`
      options.log?.(apiError)
      return null
    }
  })()
  // Failures are reported through intakeInfo; never an unhandled rejection.
  ready.catch(() => {})
  return {
    spool,
    inbox,
    ready,
    drain: drainer.drain,
    methods: {
      async intakeInfo() {
        const api = await ready.catch(() => null)
        return api
          ? { url: api.url, token: api.token, dataDir }
          : { url: null, token: null, dataDir, error: apiError ?? 'The intake API is not running.' }
      },
      async intakePending(workspaceId) {
        await spool.registerWorkspace(workspaceId)
        // A workspace the host holds is drained by the host alone: never two makers for one item.
        if (drafts?.holds(workspaceId)) return []
        return spool.pending(workspaceId)
      },
      async intakeAck(args) {
        return { acknowledged: (await ack(args)) !== null }
      },
      async intakeReportStatus({ workspaceId, statuses }) {
        return { stored: await spool.reportStatuses(workspaceId, statuses) }
      },
      async setInbox({ workspaceId, path, takeWaiting }) {
        await spool.registerWorkspace(workspaceId)
        return inbox.set(workspaceId, path, { takeWaiting: takeWaiting === true })
      },
      async inboxStatus(workspaceId) {
        await ready.catch(() => null)
        return inbox.status(workspaceId)
      },
    },
    async close() {
      drainer.stop()
      await inbox.stop()
      const api = await ready.catch(() => null)
      await api?.close()
    },
  }
}
