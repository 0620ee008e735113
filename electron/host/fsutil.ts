import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, link, mkdir, open, rename, unlink, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { errnoCode } from './publish/errors.ts'

/** Write a file so readers see the old bytes or the new ones, never half (temp file + fsync + rename). */
export async function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'w', mode)
  try {
    await handle.writeFile(data, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(tmp, file)
}

/**
 * Create `file` with `data` unless it exists, so that no reader ever sees it half-written: the
 * bytes go whole (and synced) to a temporary file that is then hard-linked into place. Returns
 * false, changing nothing, when the file was already there (another opener got there first).
 */
export async function createFileOnce(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(tmp, data, { flag: 'wx', mode, flush: true })
    try {
      await link(tmp, file)
    } catch (e) {
      // A file system without hard links (FAT, some network shares): create in place instead.
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(errnoCode(e) ?? '')) throw e
      await writeFile(file, data, { flag: 'wx', mode })
    }
    return true
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false
    throw e
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK)
    return true
  } catch {
    return false
  }
}

/** A free name in `dir` for `name`: "a.md", then "a (1).md", "a (2).md" … Never overwrites. */
export async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name)
  const stem = basename(name, ext)
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? name : `${stem} (${i})${ext}`
    if (!(await exists(join(dir, candidate))) && !(await exists(join(dir, `${candidate}.reason.txt`))))
      return candidate
  }
}

/** Move a file into `dir` under a name that does not clash; returns the name it got. */
export async function moveInto(file: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const name = await freeName(dir, basename(file))
  await rename(file, join(dir, name))
  return name
}
