/**
 * Publishing to a folder: render, then write atomically. The bytes go to a temp file (created
 * with O_EXCL in the same folder, so it is never someone else's file or a planted link) and are
 * fsynced; the temp file is then hard-linked to its final name, which fails rather than replaces
 * when the name is taken (so two publishes never clobber each other), or renamed over the old
 * file when the destination says to overwrite. A reader sees the whole file or none of it, and
 * nothing is left behind on failure.
 *
 * Name clashes without `overwrite`: the new file gets a numeric suffix (`name-2.md`, `name-3.md`,
 * …) rather than failing, because a second approved version of the same output on the same day is
 * normal, and the receipt records the exact path written.
 */
import { createHash, randomBytes } from 'node:crypto'
import { link, lstat, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, sep } from 'node:path'
import { renderFileName } from '../../../shared/publish/filename.ts'
import type { PublishPayload } from '../../../shared/publish/manifest.ts'
import { type PublishFormat, renderOutput, SIDECAR_SUFFIX } from '../../../shared/publish/render.ts'
import { errnoCode, fsError, PublishError } from './errors.ts'

export interface FolderTarget {
  path: string
  format: PublishFormat
  template: string
  overwrite: boolean
}

export interface FolderPublishResult {
  /** The real path of the file written (symlinks in the folder path resolved). */
  path: string
  fileName: string
  /** sha256 hex of the exact bytes written: what the drift check compares against. */
  fileHash: string
  bytes: number
  sidecarPath?: string
  sidecarHash?: string
}

/** A write that the caller may still take back (the git destination does, if its commit fails). */
export interface PendingWrite {
  result: FolderPublishResult
  /** Put the folder back as it was: remove the new files, or restore the ones replaced. */
  undo(): Promise<void>
  /** Keep the write: drop the backups of replaced files. */
  keep(): Promise<void>
}

const MAX_SUFFIX = 999

export async function publishToFolder(
  target: FolderTarget,
  payload: PublishPayload,
): Promise<FolderPublishResult> {
  const pending = await writeOutput(target, payload)
  await pending.keep()
  return pending.result
}

export const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex')

/** Resolve the destination folder: it must exist and be a directory. Returns its real path. */
export async function resolveFolder(path: string): Promise<string> {
  if (!isAbsolute(path))
    throw new PublishError(
      `The path ${path} is not a full path: give it from the top, such as /home/ada/Published.`,
      { retryable: false },
    )
  let real: string
  try {
    real = await realpath(path)
    const s = await stat(real)
    if (!s.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
  } catch (e) {
    throw fsError(e, path)
  }
  return real
}

export async function writeOutput(target: FolderTarget, payload: PublishPayload): Promise<PendingWrite> {
  const folder = await resolveFolder(target.path)
  const rendered = renderOutput(target.format, payload)
  const m = payload.manifest
  const name = renderFileName(target.template, {
    date: m.publishedAt,
    title: m.title,
    id: m.outputId,
    type: m.typeName,
    ext: rendered.ext,
    hash: m.contentHash,
  })
  const main = Buffer.from(rendered.text, 'utf8')
  const side = rendered.sidecar === undefined ? undefined : Buffer.from(rendered.sidecar, 'utf8')

  const temps: string[] = []
  const created: string[] = []
  const backups: { backup: string; file: string }[] = []
  const cleanup = async () => {
    for (const t of temps) await unlink(t).catch(() => {})
  }
  try {
    const mainTemp = await writeTemp(folder, main)
    temps.push(mainTemp)
    const sideTemp = side ? await writeTemp(folder, side) : undefined
    if (sideTemp) temps.push(sideTemp)

    let fileName: string | undefined
    for (let n = 1; n <= MAX_SUFFIX && fileName === undefined; n++) {
      const candidate = n === 1 ? name : withSuffix(name, n)
      const file = inside(folder, candidate)
      const sidecar = sideTemp ? inside(folder, candidate + SIDECAR_SUFFIX) : undefined
      if (target.overwrite) {
        await replace(mainTemp, file, backups)
        created.push(file)
        if (sideTemp && sidecar) {
          await replace(sideTemp, sidecar, backups)
          created.push(sidecar)
        }
        fileName = candidate
        break
      }
      const placedMain = await placeNew(mainTemp, file)
      if (!placedMain) continue
      created.push(file)
      if (sideTemp && sidecar) {
        const placedSide = await placeNew(sideTemp, sidecar)
        if (!placedSide) {
          // The sidecar's name is taken: give the main file back and try the next name as a pair.
          created.pop()
          if (placedMain === 'renamed') await rename(file, mainTemp)
          else await unlink(file)
          continue
        }
        created.push(sidecar)
      }
      fileName = candidate
    }
    if (fileName === undefined)
      throw new PublishError(
        `The folder ${target.path} already has ${name} and ${MAX_SUFFIX - 1} numbered copies of it; choose another file name template.`,
        { retryable: false },
      )
    await cleanup()
    await syncDir(folder)

    const path = join(folder, fileName)
    const result: FolderPublishResult = { path, fileName, fileHash: sha256Hex(main), bytes: main.length }
    if (side) {
      result.sidecarPath = path + SIDECAR_SUFFIX
      result.sidecarHash = sha256Hex(side)
    }
    const replaced = new Set(backups.map((b) => b.file))
    return {
      result,
      async undo() {
        for (const f of created) if (!replaced.has(f)) await unlink(f).catch(() => {})
        for (const b of backups) await rename(b.backup, b.file).catch(() => {})
      },
      async keep() {
        for (const b of backups) await unlink(b.backup).catch(() => {})
      },
    }
  } catch (e) {
    // Nothing half-written: no temp files, and no final files from this attempt.
    await cleanup()
    for (const f of created) await unlink(f).catch(() => {})
    for (const b of backups) await rename(b.backup, b.file).catch(() => {})
    if (e instanceof PublishError) throw e
    throw fsError(e, target.path, true)
  }
}

/**
 * Can Signoff publish into this folder? It must be an absolute path to an existing folder in
 * which a file can be created, written, synced and removed: the same steps a publish takes, with
 * a probe file. Throws a PublishError naming the real cause.
 */
export async function checkFolder(path: string, use?: string): Promise<void> {
  const folder = await resolveFolder(path)
  let probe: string | undefined
  try {
    probe = await writeTemp(folder, Buffer.from('signoff write test\n'))
  } catch (e) {
    throw fsError(e, path, true, use)
  } finally {
    if (probe) await unlink(probe).catch(() => {})
  }
}

/** The path of `name` in `folder`, checked to be a direct child: defence in depth over the name rules. */
function inside(folder: string, name: string): string {
  const file = join(folder, name)
  const rel = relative(folder, file)
  if (
    !rel ||
    rel.startsWith('..') ||
    rel.includes(sep) ||
    isAbsolute(rel) ||
    rel !== name ||
    basename(file) !== name
  )
    throw new PublishError(
      `The file name ${JSON.stringify(name)} would leave the folder; nothing was written.`,
      {
        retryable: false,
      },
    )
  return file
}

function withSuffix(name: string, n: number): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`
}

async function writeTemp(folder: string, data: Buffer): Promise<string> {
  const temp = join(folder, `.signoff-${randomBytes(8).toString('hex')}.tmp`)
  // 'wx' = O_CREAT|O_EXCL: never an existing file, never through a symlink planted at this name.
  const fh = await open(temp, 'wx', 0o644)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (e) {
    await fh.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw e
  }
  await fh.close()
  return temp
}

/**
 * Give the temp file its final name if the name is free: 'linked' (the temp file is still there
 * too), 'renamed' (it is not), or null when the name is taken.
 */
async function placeNew(temp: string, file: string): Promise<'linked' | 'renamed' | null> {
  try {
    await link(temp, file)
    return 'linked'
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'EEXIST') return null
    // File systems without hard links (FAT, some shares): check, then rename. The check and the
    // rename are two steps, so a file created in between could be replaced: the best they allow.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EMLINK') {
      if (await exists(file)) return null
      await rename(temp, file)
      return 'renamed'
    }
    throw e
  }
}

/** Overwrite: only a regular file is replaced (never a link or a folder); keep a backup for undo. */
async function replace(
  temp: string,
  file: string,
  backups: { backup: string; file: string }[],
): Promise<void> {
  const s = await lstat(file).catch((e) => {
    if (errnoCode(e) === 'ENOENT') return undefined
    throw e
  })
  if (s?.isSymbolicLink())
    throw new PublishError(
      `${file} is a symbolic link; Signoff does not write over or through links. Remove it or publish under another name.`,
      { retryable: false },
    )
  if (s && !s.isFile())
    throw new PublishError(`${file} exists and is not a regular file; nothing was written.`, {
      retryable: false,
    })
  if (s) {
    const backup = `${temp}.bak`
    await link(file, backup)
    backups.push({ backup, file })
  }
  await rename(temp, file)
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file)
    return true
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false
    throw e
  }
}

async function syncDir(folder: string): Promise<void> {
  // Make the new name durable too; not every platform can fsync a directory, so best effort.
  try {
    const fh = await open(folder, 'r')
    await fh.sync().finally(() => fh.close())
  } catch {}
}

export type DriftStatus = 'ok' | 'changed' | 'missing'

/**
 * Does the published file still hold the bytes written? Compares the file's current bytes (and
 * its sidecar's) with the hashes recorded in the receipt. A file replaced by a link counts as
 * changed.
 */
export async function checkDrift(receipt: {
  path: string
  fileHash: string
  sidecarPath?: string
  sidecarHash?: string
}): Promise<DriftStatus> {
  const one = async (path: string, hash: string): Promise<DriftStatus> => {
    try {
      const s = await lstat(path)
      if (!s.isFile()) return 'changed'
      return sha256Hex(await readFile(path)) === hash ? 'ok' : 'changed'
    } catch (e) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return 'missing'
      throw e
    }
  }
  const main = await one(receipt.path, receipt.fileHash)
  if (main !== 'ok' || !receipt.sidecarPath || !receipt.sidecarHash) return main
  return (await one(receipt.sidecarPath, receipt.sidecarHash)) === 'ok' ? 'ok' : 'changed'
}
