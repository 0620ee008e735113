import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileOnce } from '../../../electron/host/fsutil.ts'

const dir = () => mkdtempSync(join(tmpdir(), 'signoff-once-'))

describe('createFileOnce', () => {
  it('creates a 0600 file whole, and leaves no temporary file behind', async () => {
    const d = dir()
    const file = join(d, 'key')
    expect(await createFileOnce(file, 'first\n')).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe('first\n')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(d)).toEqual(['key'])
  })

  it('changes nothing when the file is already there', async () => {
    const d = dir()
    const file = join(d, 'key')
    writeFileSync(file, 'kept')
    expect(await createFileOnce(file, 'other')).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe('kept')
    expect(readdirSync(d)).toEqual(['key'])
  })

  it('lets exactly one of many concurrent creators win, and all see its whole bytes', async () => {
    const d = dir()
    const file = join(d, 'key')
    const payloads = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(4096)}\n`)
    const won = await Promise.all(payloads.map((p) => createFileOnce(file, p)))
    expect(won.filter(Boolean)).toHaveLength(1)
    expect(readFileSync(file, 'utf8')).toBe(payloads[won.indexOf(true)])
    expect(readdirSync(d)).toEqual(['key'])
  })

  it('reports a folder that is not there', async () => {
    await expect(createFileOnce(join(dir(), 'missing', 'key'), 'x')).rejects.toThrow(/ENOENT/)
  })
})
