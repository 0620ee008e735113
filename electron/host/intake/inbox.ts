import { createHash } from 'node:crypto'
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, extname, isAbsolute, join, parse, resolve } from 'node:path'
import type { InboxStatus, IntakeItem } from '../../../shared/host/intake.ts'
import { decodeText, INBOX_EXTENSIONS, parseIntakeFile } from '../../../shared/intake/parse.ts'
import { exists, moveInto } from '../fsutil.ts'
import { checkFolder } from '../publish/folder.ts'
import type { Spool } from './spool.ts'

export interface InboxOptions {
  spool: Spool
  /** How often each inbox folder is scanned. */
  pollMs?: number
  /** A file is taken once its size and mtime have not changed for this long. */
  settleMs?: number
  /** Bigger files go to failed/ unread. */
  maxBytes?: number
  /** Files handled at once. */
  concurrency?: number
  log?: (line: string) => void
}

export const PROCESSED_DIR = 'processed'
export const FAILED_DIR = 'failed'
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024

interface Seen {
  size: number
  mtimeMs: number
  since: number
}

interface Watched {
  workspaceId: string
  path: string
  seen: Map<string, Seen>
  busy: Set<string>
  /** Files spooled but not yet settled by the app: inbox name → its name in processed/. */
  taken: Map<string, Promise<string | null>>
  processed: number
  failed: number
  error?: string
  lastFailure?: { file: string; reason: string; at: number }
}

/** Names other tools use while a file is still being written; they are renamed when done. */
const IN_PROGRESS = /(\.(tmp|part|partial|crdownload|download|swp)$)|(^~\$)|(^\.)/i

/**
 * Watches one inbox folder per workspace. Every file dropped there ends in `processed/` (it
 * became a draft in the spool) or `failed/` next to a `<name>.reason.txt`; nothing is deleted.
 * A file is taken only once it has settled (size and mtime unchanged for `settleMs`), so a
 * file still being written is not read half-way. Polling, not fs.watch: it behaves the same on
 * every platform and on network folders, and a scan of a quiet folder is one readdir.
 */
export class InboxWatcher {
  private readonly options: Required<Omit<InboxOptions, 'log'>> & Pick<InboxOptions, 'log'>
  private readonly watched = new Map<string, Watched>()
  private timer: NodeJS.Timeout | null = null
  private scanning: Promise<void> | null = null
  private stopped = false
  private readonly listeners = new Set<(status: InboxStatus) => void>()
  /** The status last told to listeners, per workspace, so only a change is told. */
  private readonly told = new Map<string, string>()

  constructor(options: InboxOptions) {
    this.options = {
      pollMs: 1000,
      settleMs: 500,
      maxBytes: DEFAULT_MAX_FILE_BYTES,
      concurrency: 16,
      ...options,
    }
  }

  /** Start watching the inboxes configured in the spool. */
  async start(): Promise<void> {
    for (const [workspaceId, path] of Object.entries(await this.options.spool.inboxes()))
      this.watch(workspaceId, path)
    this.schedule()
  }

  private schedule() {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.scanning = this.scanAll().finally(() => {
        this.scanning = null
        this.schedule()
      })
    }, this.options.pollMs)
    this.timer.unref?.()
  }

  private watch(workspaceId: string, path: string) {
    this.watched.set(workspaceId, {
      workspaceId,
      path,
      seen: new Map(),
      busy: new Set(),
      taken: new Map(),
      processed: 0,
      failed: 0,
    })
  }

  /**
   * Watch `path` for this workspace (null: stop). Every file the inbox takes is moved into
   * processed/ or failed/, so a folder of the person's own (the disk's root, the home folder) is
   * refused, and a folder that already holds files it would take is used only with `takeWaiting`:
   * the person was told which, and chose it anyway.
   */
  async set(
    workspaceId: string,
    path: string | null,
    opts: { takeWaiting?: boolean } = {},
  ): Promise<InboxStatus> {
    if (path !== null) {
      path = path.trim() || null
    }
    if (path !== null) {
      if (!isAbsolute(path))
        throw new Error(
          `The inbox folder must be a full path, such as /home/ada/Signoff inbox (not ${path}).`,
        )
      const whole = resolve(path)
      if (whole === parse(whole).root || whole === resolve(homedir()))
        throw new Error(
          `${whole} is ${whole === parse(whole).root ? 'the whole disk' : 'your home folder'}: the inbox moves every file it takes into processed/ and failed/, so give it a folder of its own, such as ${join(homedir(), 'Signoff inbox')}.`,
        )
      const info = await stat(path).catch(() => null)
      if (info && !info.isDirectory()) throw new Error(`${path} is a file, not a folder.`)
      // The folder this workspace already uses (watched, or saved before this start) is not asked
      // about again: what waits in it is what it is for.
      const chosen =
        this.watched.get(workspaceId)?.path === path ||
        (await this.options.spool.inboxes())[workspaceId] === path
      if (info && !opts.takeWaiting && !chosen) {
        const waiting = (await readdir(path).catch(() => [] as string[])).filter((name) =>
          (INBOX_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()),
        )
        if (waiting.length > 0) throw new InboxHoldsFiles(path, waiting)
      }
      if (!info) {
        // The inbox folder itself may be new; a mistyped parent is not made into a tree of folders.
        const parent = dirname(path)
        if (!(await stat(parent).catch(() => null))?.isDirectory())
          throw new Error(
            `The folder ${parent} does not exist: check the path (Signoff creates only the inbox folder itself).`,
          )
        await mkdir(path)
      }
      // Files are taken from it and moved into processed/ and failed/: it must take new files.
      await checkFolder(path, 'use as an inbox')
    }
    await this.options.spool.setInbox(workspaceId, path || null)
    this.watched.delete(workspaceId)
    if (path) this.watch(workspaceId, path)
    this.tell(workspaceId)
    return this.status(workspaceId)
  }

  /** Run `fn` with a workspace's status whenever it changes (a file taken or failed, a new folder). */
  onChange(fn: (status: InboxStatus) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private tell(workspaceId: string): void {
    const status = this.status(workspaceId)
    const key = JSON.stringify(status)
    if (this.told.get(workspaceId) === key) return
    this.told.set(workspaceId, key)
    for (const fn of this.listeners) fn(status)
  }

  status(workspaceId: string): InboxStatus {
    const w = this.watched.get(workspaceId)
    if (!w) return { workspaceId, path: null, watching: false, processed: 0, failed: 0 }
    return {
      workspaceId,
      path: w.path,
      watching: !this.stopped,
      processed: w.processed,
      failed: w.failed,
      ...(w.error ? { error: w.error } : {}),
      ...(w.lastFailure ? { lastFailure: w.lastFailure } : {}),
    }
  }

  /** One pass over every inbox (tests call it directly; the timer calls it on its own). */
  async scanAll(now = Date.now()): Promise<void> {
    for (const w of [...this.watched.values()]) {
      await this.scan(w, now)
      this.tell(w.workspaceId)
    }
  }

  /** Wait for a scan that is running, then run one more. */
  async scanNow(): Promise<void> {
    if (this.scanning) await this.scanning
    await this.scanAll()
  }

  private async scan(w: Watched, now: number): Promise<void> {
    let names: string[]
    try {
      names = await readdir(w.path)
      delete w.error
    } catch (error) {
      w.error = `Cannot read the inbox folder: ${(error as Error).message}`
      return
    }
    const ready: string[] = []
    const present = new Set<string>()
    for (const name of names) {
      if (name === PROCESSED_DIR || name === FAILED_DIR || IN_PROGRESS.test(name) || w.busy.has(name))
        continue
      let info: Awaited<ReturnType<typeof stat>>
      try {
        info = await stat(join(w.path, name))
      } catch {
        continue
      }
      if (!info.isFile()) continue
      present.add(name)
      const prev = w.seen.get(name)
      if (!prev || prev.size !== info.size || prev.mtimeMs !== info.mtimeMs) {
        w.seen.set(name, { size: info.size, mtimeMs: info.mtimeMs, since: now })
        continue
      }
      if (now - prev.since >= this.options.settleMs) ready.push(name)
    }
    for (const name of w.seen.keys()) if (!present.has(name) && !w.busy.has(name)) w.seen.delete(name)
    // Handle the settled files a few at a time.
    let next = 0
    const worker = async () => {
      while (next < ready.length) {
        const name = ready[next++]!
        w.busy.add(name)
        try {
          await this.take(w, name)
        } catch (error) {
          this.options.log?.(`inbox: ${name}: ${(error as Error).message}`)
        } finally {
          w.busy.delete(name)
          w.seen.delete(name)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, ready.length) }, worker))
  }

  /** Move a file to failed/ next to its `<name>.reason.txt`, and count it. */
  private async fail(w: Watched, file: string, name: string, reason: string): Promise<void> {
    const moved = await moveInto(file, join(w.path, FAILED_DIR))
    await writeFile(join(w.path, FAILED_DIR, `${moved}.reason.txt`), `${reason}\n`)
    w.failed++
    w.lastFailure = { file: name, reason, at: Date.now() }
    this.options.log?.(`inbox: ${name} failed: ${reason}`)
  }

  /**
   * The app could or could not make a draft of a spooled inbox file. Only the app knows the
   * workspace's types, so a file naming a type the workspace lacks is refused only now: it moves
   * from processed/ to failed/ with its reason, and is counted as failed, not taken.
   */
  async settled(workspaceId: string, item: IntakeItem, ok: boolean, reason?: string): Promise<void> {
    const w = this.watched.get(workspaceId)
    if (item.via !== 'inbox' || !item.fileName || !w) return
    const taken = w.taken.get(item.fileName)
    w.taken.delete(item.fileName)
    if (ok) return
    // After a restart nothing is in memory: the file kept its name unless another had it.
    const name = taken ? await taken : item.fileName
    if (!name) return
    const file = join(w.path, PROCESSED_DIR, name)
    if (!(await exists(file))) return
    w.processed = Math.max(0, w.processed - 1)
    await this.fail(w, file, item.fileName, reason ?? 'The app could not make a draft of it.')
    this.tell(workspaceId)
  }

  private async take(w: Watched, name: string): Promise<void> {
    const file = join(w.path, name)
    const reject = (reason: string) => this.fail(w, file, name, reason)
    const ext = extname(name).toLowerCase()
    if (!(INBOX_EXTENSIONS as readonly string[]).includes(ext))
      return reject(`"${ext || name}" files are not taken: use .md, .txt, .html or .json.`)
    // Stat first: a huge file is refused without being read into memory.
    const handle = await open(file, 'r')
    let bytes: Buffer
    let mtimeMs = 0
    try {
      const info = await handle.stat()
      mtimeMs = info.mtimeMs
      if (info.size > this.options.maxBytes) {
        await handle.close()
        return reject(
          `The file is ${formatBytes(info.size)}; the inbox takes files up to ${formatBytes(this.options.maxBytes)}.`,
        )
      }
      bytes = await handle.readFile()
    } finally {
      await handle.close().catch(() => {})
    }
    if (bytes.length === 0) return reject('The file is empty.')
    const text = decodeText(bytes)
    if (!text.ok) return reject(text.reason)
    const parsed = parseIntakeFile(name, text.text)
    if (!parsed.ok) return reject(parsed.reason)
    const v = parsed.value
    // The app may settle the item before the file has moved: it then waits for the move.
    let moved!: (processedName: string | null) => void
    const taken = new Promise<string | null>((resolve) => {
      moved = resolve
    })
    w.taken.set(name, taken)
    try {
      await this.options.spool.add({
        // The same file (name, time, bytes) is the same submission: spooled again after a crash
        // before it left the inbox, it is not a second draft.
        id: `o${createHash('sha256').update(`${w.workspaceId}\0${name}\0${mtimeMs}\0`).update(bytes).digest('base64url').slice(0, 24)}`,
        workspaceId: w.workspaceId,
        title: v.title,
        ...(v.type ? { type: v.type } : {}),
        content: v.content,
        source: { ...v.source, tool: v.source.tool ?? `inbox: ${name}` },
        tags: v.tags,
        ...(v.due ? { due: v.due } : {}),
        via: 'inbox',
        fileName: name,
      })
      // The draft is durable in the spool; only now does the original leave the inbox.
      moved(await moveInto(file, join(w.path, PROCESSED_DIR)))
    } catch (error) {
      w.taken.delete(name)
      moved(null)
      throw error
    }
    w.processed++
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.scanning) await this.scanning
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${n} bytes`
}

/**
 * The folder chosen as the inbox already holds files the inbox would take (and move): said with
 * their names, so the person chooses knowingly; saving again takes them.
 */
export class InboxHoldsFiles extends Error {
  constructor(path: string, names: string[]) {
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '')
    super(
      `${path} already holds ${names.length} file${names.length === 1 ? '' : 's'} the inbox would take (${shown}): ${names.length === 1 ? 'it' : 'each'} would become a draft and move into processed/. Save again to take ${names.length === 1 ? 'it' : 'them'}, or choose an empty folder.`,
    )
  }
}
