import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PublishReceipt } from '../../../electron/host/publish/index.ts'

/** A fresh real temp folder (real path, so receipts compare equal). */
export const tempDir = (prefix = 'signoff-publish-'): string =>
  realpathSync(mkdtempSync(join(tmpdir(), prefix)))

/** Every path under `dir` (recursive, relative), with size, for before/after comparisons. */
export function snapshot(dir: string): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name
      const s = statSync(join(dir, r), { throwIfNoEntry: false })
      // Folders count by presence only: their size grows with their entries.
      out.set(r, s?.isDirectory() ? -2 : (s?.size ?? -1))
      if (s?.isDirectory()) walk(r)
    }
  }
  walk('')
  return out
}

export const isRoot = (): boolean => process.getuid?.() === 0

/** Run `mount`; false when this machine does not allow it (no privilege, no mount binary). */
export function tryMount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' })
  } catch {}
  rmSync(dir, { recursive: true, force: true })
}

/** Leftover temp or backup files of the folder publisher. */
export const tempFilesIn = (dir: string): string[] =>
  readdirSync(dir).filter((n) => n.startsWith('.signoff-'))

/** A publish's detail (the kind's receipt fields); a failed publish throws with its error. */
export function detailOf<Detail>(r: PublishReceipt): Detail {
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`)
  return r.detail as Detail
}

/** A publish that failed, as such; a success throws. */
export function failed(r: PublishReceipt): Extract<PublishReceipt, { ok: false }> {
  if (r.ok) throw new Error('expected a failure')
  return r
}
