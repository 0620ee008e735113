import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isValidId } from '../../../shared/docnames.ts'
import { newId } from '../../../shared/domain/ids.ts'
import type { IntakeItem, IntakeSource, IntakeStatus } from '../../../shared/host/intake.ts'
import { exists, writeFileAtomic } from '../fsutil.ts'
import { isPlainObject, readStateFileSync } from '../state-file.ts'

export interface SpoolEntry {
  workspaceId: string
  stage: 'pending' | 'processed' | 'failed'
  item: IntakeItem
  reason?: string
}

export interface NewItem {
  /** A submission's own id (the inbox derives one from the file), so taking it twice is once. */
  id?: string
  workspaceId: string
  title: string
  type?: string
  content: string
  source?: IntakeSource
  tags?: string[]
  due?: string
  via: IntakeItem['via']
  fileName?: string
}

interface WorkspaceRecord {
  firstSeen: number
  inbox?: string
}

const PENDING_BATCH = 50

/**
 * The host's durable queue of submissions: an accepted submission is on disk (written
 * atomically) before anyone is told it was accepted, and it stays there until it is
 * acknowledged: by the host's draft maker once the draft, content included, is durable in the
 * host's log (a workspace the host holds), or by the window (one kept on this device only).
 * Then it moves to processed/ or failed/ (with the reason). Layout under `<dataDir>/intake/`:
 *
 *   <workspaceId>/pending/<time>_<id>.json   waiting for the app
 *   <workspaceId>/processed/<id>.json        became an output
 *   <workspaceId>/failed/<id>.json           could not (the reason is in the file)
 *   statuses.json                            where intake-created outputs stand (from the app)
 *   workspaces.json                          workspaces this machine takes intake for
 */
/** What taking an item came to: a draft (its status), or the reason it cannot become one. */
export type Taken = { ok: true; status: IntakeStatus } | { ok: false; reason: string }

export class Spool {
  readonly root: string
  private statuses = new Map<string, IntakeStatus & { workspaceId: string; updatedAt: number }>()
  private workspaces: Record<string, WorkspaceRecord> = {}
  private loaded: Promise<void>
  private saveChain: Promise<void> = Promise.resolve()
  private seq = 0
  /** Pending file paths by id, as last listed or written (saves a directory listing per ack). */
  private pendingFiles = new Map<string, string>()
  /**
   * The host's draft maker (services/intake-drafts.ts, through service.ts): given each item as
   * soon as it is on disk; resolves with the draft's status once it is durable, with the reason
   * when it cannot become a draft (an unknown output type), or null when the item waits (for the
   * window, or for the workspace to be ready in the host).
   */
  private taker: ((item: IntakeItem) => Promise<Taken | null>) | null = null
  private readonly taking = new Map<string, Promise<Taken | null>>()
  /** Told when an item is left waiting (no taker took it): the window drains then. */
  onQueued: ((workspaceId: string) => void) | undefined

  private readonly log: ((line: string) => void) | undefined

  constructor(dataDir: string, log?: (line: string) => void) {
    this.log = log
    this.root = join(dataDir, 'intake')
    this.loaded = this.load()
  }

  private async load(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 })
    // Unreadable ones are kept aside (state-file.ts): the window reports statuses and its
    // workspaces again.
    const statuses = readStateFileSync(join(this.root, 'statuses.json'), {
      valid: (raw) => isPlainObject(raw) && Object.values(raw).every(isPlainObject),
      log: this.log,
    })
    if (statuses)
      for (const [id, s] of Object.entries(
        statuses as Record<string, IntakeStatus & { workspaceId: string; updatedAt: number }>,
      ))
        this.statuses.set(id, s)
    const workspaces = readStateFileSync(join(this.root, 'workspaces.json'), {
      valid: (raw) =>
        isPlainObject(raw) &&
        Object.values(raw).every((w) => isPlainObject(w) && typeof w.firstSeen === 'number'),
      log: this.log,
    })
    if (workspaces) this.workspaces = workspaces as Record<string, WorkspaceRecord>
  }

  async ready(): Promise<void> {
    await this.loaded
  }

  private dir(workspaceId: string, stage: SpoolEntry['stage']): string {
    if (!isValidId(workspaceId)) throw new Error('Not a workspace id.')
    return join(this.root, workspaceId, stage)
  }

  private persist(what: 'statuses' | 'workspaces'): Promise<void> {
    const write = async () => {
      const body =
        what === 'statuses'
          ? JSON.stringify(Object.fromEntries(this.statuses))
          : JSON.stringify(this.workspaces)
      await writeFileAtomic(join(this.root, `${what}.json`), body)
    }
    this.saveChain = this.saveChain.then(write, write)
    return this.saveChain
  }

  // ---- workspaces ------------------------------------------------------------------------------

  /** Note that this machine takes intake for a workspace (the app polled for it). */
  async registerWorkspace(workspaceId: string): Promise<void> {
    await this.loaded
    if (this.workspaces[workspaceId]) return
    this.workspaces[workspaceId] = { firstSeen: Date.now() }
    await this.persist('workspaces')
  }

  /**
   * This machine no longer takes intake for a workspace (everyone who held it here left): new
   * submissions for it are refused as for any unknown workspace. What was taken stays on disk, so
   * its status can still be looked up, and is drafted if someone here joins it again.
   */
  async forgetWorkspace(workspaceId: string): Promise<void> {
    await this.loaded
    if (!this.workspaces[workspaceId]) return
    delete this.workspaces[workspaceId]
    await this.persist('workspaces')
  }

  async knownWorkspaces(): Promise<string[]> {
    await this.loaded
    return Object.entries(this.workspaces)
      .sort((a, b) => a[1].firstSeen - b[1].firstSeen)
      .map(([id]) => id)
  }

  async inboxes(): Promise<Record<string, string>> {
    await this.loaded
    const out: Record<string, string> = {}
    for (const [id, w] of Object.entries(this.workspaces)) if (w.inbox) out[id] = w.inbox
    return out
  }

  async setInbox(workspaceId: string, path: string | null): Promise<void> {
    await this.loaded
    const record = this.workspaces[workspaceId] ?? { firstSeen: Date.now() }
    if (path) record.inbox = path
    else delete record.inbox
    this.workspaces[workspaceId] = record
    await this.persist('workspaces')
  }

  // ---- items -------------------------------------------------------------------------------------

  /** Put a submission on disk; resolves once it is durable. */
  async add(args: NewItem): Promise<IntakeItem> {
    await this.loaded
    if (args.id) {
      const known = await this.lookupIn(args.workspaceId, args.id)
      if (known) {
        if (known.stage === 'pending') void this.offer(known.item)
        return known.item
      }
    }
    const item: IntakeItem = {
      id: args.id ?? newId('o'),
      workspaceId: args.workspaceId,
      title: args.title,
      ...(args.type ? { type: args.type } : {}),
      content: args.content,
      source: args.source ?? {},
      tags: args.tags ?? [],
      ...(args.due ? { due: args.due } : {}),
      receivedAt: Date.now(),
      via: args.via,
      ...(args.fileName ? { fileName: args.fileName } : {}),
    }
    const dir = this.dir(args.workspaceId, 'pending')
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const stamp = `${item.receivedAt.toString(36).padStart(10, '0')}${(this.seq++ % 1e6).toString(36).padStart(4, '0')}`
    const file = join(dir, `${stamp}_${item.id}.json`)
    await writeFileAtomic(file, JSON.stringify(item))
    this.pendingFiles.set(item.id, file)
    const taking = this.offer(item)
    if (taking)
      void taking.then((status) => {
        if (!status) this.onQueued?.(item.workspaceId)
      })
    else this.onQueued?.(item.workspaceId)
    return item
  }

  setTaker(taker: ((item: IntakeItem) => Promise<Taken | null>) | null): void {
    this.taker = taker
  }

  /** Hand an item to the taker, once at a time per item; the result is kept until it settles. */
  offer(item: IntakeItem): Promise<Taken | null> | undefined {
    const taker = this.taker
    if (!taker) return undefined
    let p = this.taking.get(item.id)
    if (!p) {
      p = taker(item)
        .catch(() => null)
        .finally(() => this.taking.delete(item.id))
      this.taking.set(item.id, p)
    }
    return p
  }

  /** The taker's answer for an item being taken now (undefined when none is under way). */
  outcome(id: string): Promise<Taken | null> | undefined {
    return this.taking.get(id)
  }

  /**
   * The oldest waiting submissions of a workspace (a bounded batch), leaving out the ids in `skip`:
   * a caller that has offered some already (and whose files are still being moved on) gets the
   * next ones, not the same batch again while the rest wait unseen behind it.
   */
  async pending(
    workspaceId: string,
    limit = PENDING_BATCH,
    skip?: ReadonlySet<string>,
  ): Promise<IntakeItem[]> {
    await this.loaded
    const dir = this.dir(workspaceId, 'pending')
    let names: string[]
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()
    } catch {
      return []
    }
    // A pending file is <stamp>_<id>.json (add): its id without reading it.
    if (skip && skip.size > 0)
      names = names.filter((n) => !skip.has(n.slice(n.indexOf('_') + 1, -'.json'.length)))
    const out: IntakeItem[] = []
    for (const name of names.slice(0, limit)) {
      try {
        const item = JSON.parse(await readFile(join(dir, name), 'utf8')) as IntakeItem
        this.pendingFiles.set(item.id, join(dir, name))
        out.push(item)
      } catch {}
    }
    return out
  }

  async pendingCount(workspaceId: string): Promise<number> {
    try {
      return (await readdir(this.dir(workspaceId, 'pending'))).filter((n) => n.endsWith('.json')).length
    } catch {
      return 0
    }
  }

  private async pendingFile(workspaceId: string, id: string): Promise<string | null> {
    const dir = this.dir(workspaceId, 'pending')
    const known = this.pendingFiles.get(id)
    if (known?.startsWith(`${dir}`) && (await exists(known))) return known
    try {
      const name = (await readdir(dir)).find((n) => n.endsWith(`_${id}.json`))
      return name ? join(dir, name) : null
    } catch {
      return null
    }
  }

  /**
   * The app created the output (ok) or could not (reason): move the item out of pending/.
   * Returns the item, or null when it was not pending (already acknowledged, or unknown).
   */
  async ack(args: {
    workspaceId: string
    id: string
    ok: boolean
    reason?: string
    typeId?: string
  }): Promise<IntakeItem | null> {
    await this.loaded
    const file = await this.pendingFile(args.workspaceId, args.id)
    if (!file) return null
    const item = JSON.parse(await readFile(file, 'utf8')) as IntakeItem
    const stage = args.ok ? 'processed' : 'failed'
    const dir = this.dir(args.workspaceId, stage)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const record = args.ok ? item : { ...item, reason: args.reason ?? 'The app could not create it.' }
    await writeFileAtomic(join(dir, `${args.id}.json`), JSON.stringify(record))
    await rm(file, { force: true })
    this.pendingFiles.delete(args.id)
    if (args.ok && !this.statuses.has(args.id)) {
      this.statuses.set(args.id, {
        id: args.id,
        workspaceId: args.workspaceId,
        state: 'draft',
        title: item.title,
        typeId: args.typeId ?? item.type ?? '',
        approvals: 0,
        approvalsRequired: 0,
        reasons: [],
        checklist: [],
        updatedAt: Date.now(),
      })
      await this.persist('statuses')
    }
    return item
  }

  async reportStatuses(workspaceId: string, statuses: IntakeStatus[]): Promise<number> {
    await this.loaded
    let changed = 0
    for (const s of statuses) {
      const prev = this.statuses.get(s.id)
      const next = { ...s, workspaceId, updatedAt: Date.now() }
      if (prev && JSON.stringify({ ...prev, updatedAt: 0 }) === JSON.stringify({ ...next, updatedAt: 0 }))
        continue
      this.statuses.set(s.id, next)
      changed++
    }
    if (changed > 0) await this.persist('statuses')
    return changed
  }

  /** Everything known about one id: a reported status, or where its spool file is. */
  async lookup(
    id: string,
  ): Promise<
    | { kind: 'status'; status: IntakeStatus & { workspaceId: string; updatedAt: number } }
    | { kind: 'entry'; entry: SpoolEntry }
    | null
  > {
    await this.loaded
    if (!isValidId(id)) return null
    const status = this.statuses.get(id)
    if (status) return { kind: 'status', status }
    for (const workspaceId of await this.knownWorkspacesOnDisk()) {
      const entry = await this.lookupIn(workspaceId, id)
      if (entry) return { kind: 'entry', entry }
    }
    return null
  }

  /** Where an item of one workspace is (pending, processed or failed), or null. */
  private async lookupIn(workspaceId: string, id: string): Promise<SpoolEntry | null> {
    const pending = await this.pendingFile(workspaceId, id)
    if (pending) {
      const item = await readJson<IntakeItem>(pending)
      if (item) return { workspaceId, stage: 'pending', item }
    }
    for (const stage of ['failed', 'processed'] as const) {
      const file = join(this.dir(workspaceId, stage), `${id}.json`)
      if (await exists(file)) {
        const item = await readJson<IntakeItem & { reason?: string }>(file)
        if (item) return { workspaceId, stage, item, ...(item.reason ? { reason: item.reason } : {}) }
      }
    }
    return null
  }

  private async knownWorkspacesOnDisk(): Promise<string[]> {
    try {
      const names = await readdir(this.root)
      const out: string[] = []
      for (const n of names) if (isValidId(n) && (await stat(join(this.root, n))).isDirectory()) out.push(n)
      return out
    } catch {
      return []
    }
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return null
  }
}
