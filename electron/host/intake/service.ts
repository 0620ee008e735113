import type { HostApi } from '../../../shared/host/api.ts'
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
}

type IntakeMethods = Pick<
  HostApi,
  'intakeInfo' | 'intakePending' | 'intakeAck' | 'intakeReportStatus' | 'setInbox' | 'inboxStatus'
>

/**
 * Intake inside the host process: the spool, the inbox watcher and the local API, started when
 * the host has a data directory (Electron main and the web bridge), plus the host API methods the
 * renderer uses to drain the spool and report statuses.
 */
export function createIntakeService(options: IntakeServiceOptions): {
  methods: IntakeMethods
  spool: Spool | null
  inbox: InboxWatcher | null
  ready: Promise<IntakeApi | null>
  close(): Promise<void>
} {
  const dataDir = options.dataDir
  if (!dataDir) {
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
      close: async () => {},
    }
  }
  const spool = new Spool(dataDir)
  const inbox = new InboxWatcher({
    spool,
    ...(options.inboxPollMs !== undefined ? { pollMs: options.inboxPollMs } : {}),
    ...(options.inboxSettleMs !== undefined ? { settleMs: options.inboxSettleMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  })
  const envPort = process.env.SIGNOFF_INTAKE_PORT ? Number(process.env.SIGNOFF_INTAKE_PORT) : undefined
  const port = options.intakePort ?? envPort ?? DEFAULT_INTAKE_PORT
  let apiError: string | undefined
  const ready: Promise<IntakeApi | null> = (async () => {
    await spool.ready()
    await inbox.start()
    try {
      return await startIntakeApi({ port, fallbackToFreePort: true, dataDir, spool })
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
    methods: {
      async intakeInfo() {
        const api = await ready.catch(() => null)
        return api
          ? { url: api.url, token: api.token, dataDir }
          : { url: null, token: null, dataDir, error: apiError ?? 'The intake API is not running.' }
      },
      async intakePending(workspaceId) {
        await spool.registerWorkspace(workspaceId)
        return spool.pending(workspaceId)
      },
      async intakeAck(args) {
        const item = await spool.ack(args)
        if (item) await inbox.settled(args.workspaceId, item, args.ok, args.reason)
        return { acknowledged: item !== null }
      },
      async intakeReportStatus({ workspaceId, statuses }) {
        return { stored: await spool.reportStatuses(workspaceId, statuses) }
      },
      async setInbox({ workspaceId, path }) {
        await spool.registerWorkspace(workspaceId)
        return inbox.set(workspaceId, path)
      },
      async inboxStatus(workspaceId) {
        await ready.catch(() => null)
        return inbox.status(workspaceId)
      },
    },
    async close() {
      await inbox.stop()
      const api = await ready.catch(() => null)
      await api?.close()
    },
  }
}
