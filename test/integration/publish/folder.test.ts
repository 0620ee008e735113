import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FolderReceiptDetail } from '../../../electron/host/publish/index.ts'
import { checkDrift, publish } from '../../../electron/host/publish/index.ts'
import { markdownBody } from '../../../shared/publish/render.ts'
import { HOSTILE_STRINGS, makePayload } from '../../unit/publish/fixture.ts'
import { detailOf, failed, isRoot, snapshot, tempDir, tempFilesIn, tryMount, unmount } from './helpers.ts'

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const folder = (path: string, extra: Record<string, unknown> = {}) => ({
  kind: 'folder' as const,
  path,
  ...extra,
})

const okDetail = detailOf<FolderReceiptDetail>
const failure = failed

const mounts: string[] = []
afterAll(() => {
  for (const m of mounts) unmount(m)
})

describe('folder destination', () => {
  it('writes each format with the manifest, records the hash of the exact bytes, leaves no temp file', async () => {
    const dir = tempDir()
    const p = makePayload()
    for (const format of ['markdown', 'text', 'html', 'json'] as const) {
      const r = await publish(folder(dir, { format, template: '{date}-{slug}.md' }), p)
      const d = okDetail(r)
      expect(r.ok && r.destinationKind).toBe('folder')
      expect(r.contentHash).toBe(p.manifest.contentHash)
      const bytes = readFileSync(d.path)
      expect(d.fileHash).toBe(sha(bytes))
      expect(d.bytes).toBe(bytes.length)
      const text = bytes.toString('utf8')
      if (format === 'markdown') {
        expect(d.path).toBe(join(dir, '2025-06-02-q3-pricing-update.md'))
        expect(markdownBody(text)).toBe(p.content)
        expect(text).toContain(`contentHash: "${p.manifest.contentHash}"`)
        expect(text).toContain('name: "Ann Lee"')
        expect(text).toContain('verdict: "pass"')
      }
      if (format === 'text') {
        expect(text).toBe(p.content)
        expect(d.sidecarPath).toBe(`${d.path}.signoff.json`)
        expect(JSON.parse(readFileSync(d.sidecarPath!, 'utf8')).manifest).toEqual(p.manifest)
        expect(d.sidecarHash).toBe(sha(readFileSync(d.sidecarPath!)))
      }
      if (format === 'json') expect(JSON.parse(text)).toEqual(p)
      if (format === 'html') expect(text).toContain('<script type="application/json" id="signoff-manifest">')
    }
    expect(readdirSync(dir).sort()).toEqual([
      '2025-06-02-q3-pricing-update.html',
      '2025-06-02-q3-pricing-update.json',
      '2025-06-02-q3-pricing-update.md',
      '2025-06-02-q3-pricing-update.txt',
      '2025-06-02-q3-pricing-update.txt.signoff.json',
    ])
    expect(tempFilesIn(dir)).toEqual([])
  })

  it('never overwrites unless told: a taken name gets a numeric suffix; overwrite replaces', async () => {
    const dir = tempDir()
    const first = okDetail(await publish(folder(dir), makePayload()))
    const firstBytes = readFileSync(first.path)
    const second = okDetail(
      await publish(folder(dir), makePayload({ publishedAt: '2025-06-02T10:00:00.000Z' })),
    )
    const third = okDetail(await publish(folder(dir), makePayload()))
    expect(second.path).toBe(join(dir, '2025-06-02-q3-pricing-update-2.md'))
    expect(third.path).toBe(join(dir, '2025-06-02-q3-pricing-update-3.md'))
    expect(readFileSync(first.path)).toEqual(firstBytes)

    const replaced = okDetail(
      await publish(
        folder(dir, { overwrite: true }),
        makePayload({ publishedAt: '2025-06-02T23:59:59.000Z' }),
      ),
    )
    expect(replaced.path).toBe(first.path)
    expect(readFileSync(first.path, 'utf8')).toContain('2025-06-02T23:59:59.000Z')
    expect(tempFilesIn(dir)).toEqual([])
  })

  it('twenty concurrent publishes of the same name each get their own complete file', async () => {
    const dir = tempDir()
    const receipts = await Promise.all(Array.from({ length: 20 }, () => publish(folder(dir), makePayload())))
    const paths = receipts.map((r) => okDetail(r).path)
    expect(new Set(paths).size).toBe(20)
    for (const r of receipts) expect(sha(readFileSync(okDetail(r).path))).toBe(okDetail(r).fileHash)
    expect(readdirSync(dir).length).toBe(20)
  })
})

describe('folder destination: errors are clear and retryable', () => {
  it('a missing folder is a clear error; the retry works once the folder exists', async () => {
    const base = tempDir()
    const dir = join(base, 'not-yet')
    const r = failure(await publish(folder(dir), makePayload()))
    expect(r.error).toBe(`The folder ${dir} does not exist.`)
    expect(r.retryable).toBe(false)
    expect(r.contentHash).toBe(makePayload().manifest.contentHash)
    expect(existsSync(dir)).toBe(false)
    mkdirSync(dir)
    okDetail(await publish(folder(dir), makePayload()))
  })

  it('a file where the folder should be, and a relative path, are refused', async () => {
    const base = tempDir()
    writeFileSync(join(base, 'file'), 'x')
    expect(failure(await publish(folder(join(base, 'file')), makePayload())).error).toMatch(/is not a folder/)
    expect(failure(await publish(folder(join(base, 'file', 'sub')), makePayload())).error).toMatch(
      /is not a folder|does not exist/,
    )
    expect(failure(await publish(folder('relative/dir'), makePayload())).error).toMatch(
      /relative\/dir is not a full path/,
    )
  })

  it('a read-only folder is a clear error, nothing is half-written, and the retry works once writable', async (ctx) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'existing.md'), 'keep me')
    let makeWritable: () => void
    if (!isRoot()) {
      chmodSync(dir, 0o555)
      makeWritable = () => chmodSync(dir, 0o755)
    } else if (tryMount(['--bind', dir, dir]) && tryMount(['-o', 'remount,ro,bind', dir])) {
      // Root ignores permission bits, so a read-only bind mount stands in for a read-only share.
      mounts.push(dir)
      makeWritable = () => tryMount(['-o', 'remount,rw,bind', dir])
    } else {
      ctx.skip('running as root without permission to mount: cannot make a folder read-only here')
      return
    }
    const r = failure(await publish(folder(dir), makePayload()))
    expect(r.error).toMatch(/read-only disk|not allowed to write/)
    expect(readdirSync(dir)).toEqual(['existing.md'])
    makeWritable()
    okDetail(await publish(folder(dir), makePayload()))
    expect(tempFilesIn(dir)).toEqual([])
  })

  it('a full disk is a clear, retryable error, leaves no partial or temp file, and the retry works after space is freed', async (ctx) => {
    const dir = tempDir()
    if (!tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir])) {
      ctx.skip('cannot mount a small tmpfs here (needs root): no honest way to fill a disk')
      return
    }
    mounts.push(dir)
    writeFileSync(join(dir, 'ballast'), Buffer.alloc(40 * 1024))
    const big = makePayload({}, 'x'.repeat(60 * 1024))
    const r = failure(await publish(folder(dir), big))
    expect(r.error).toMatch(/^The disk holding .* is full/)
    expect(r.retryable).toBe(true)
    expect(readdirSync(dir)).toEqual(['ballast'])
    rmSync(join(dir, 'ballast'))
    const d = okDetail(await publish(folder(dir), big))
    expect(markdownBody(readFileSync(d.path, 'utf8'))).toBe(big.content)
    expect(tempFilesIn(dir)).toEqual([])
  })
})

describe('folder destination: links and hostile names', () => {
  it('does not write through or over a symlink that points outside the folder', async () => {
    const sandbox = tempDir()
    const dir = join(sandbox, 'dest')
    const outside = join(sandbox, 'outside')
    mkdirSync(dir)
    mkdirSync(outside)
    writeFileSync(join(outside, 'victim.md'), 'original')
    const name = '2025-06-02-q3-pricing-update.md'
    symlinkSync(join(outside, 'victim.md'), join(dir, name))
    symlinkSync(join(outside, 'victim.md'), join(dir, '2025-06-02-q3-pricing-update.txt.signoff.json'))

    const refused = failure(await publish(folder(dir, { overwrite: true }), makePayload()))
    expect(refused.error).toMatch(/is a symbolic link/)
    const asNew = okDetail(await publish(folder(dir), makePayload()))
    expect(asNew.path).toBe(join(dir, '2025-06-02-q3-pricing-update-2.md'))
    // The sidecar's name is a link: refused, and the main file written just before is taken back.
    const sidecar = failure(await publish(folder(dir, { format: 'text', overwrite: true }), makePayload()))
    expect(sidecar.error).toMatch(/is a symbolic link/)
    expect(existsSync(join(dir, '2025-06-02-q3-pricing-update.txt'))).toBe(false)
    // Without overwrite the pair moves to a free name together.
    const text = okDetail(await publish(folder(dir, { format: 'text' }), makePayload()))
    expect(text.path).toBe(join(dir, '2025-06-02-q3-pricing-update-2.txt'))

    expect(readFileSync(join(outside, 'victim.md'), 'utf8')).toBe('original')
    expect(readdirSync(outside)).toEqual(['victim.md'])
    expect(tempFilesIn(dir)).toEqual([])
  })

  it('a destination folder that is itself a link is followed once, and the receipt names the real path', async () => {
    const sandbox = tempDir()
    mkdirSync(join(sandbox, 'real'))
    symlinkSync(join(sandbox, 'real'), join(sandbox, 'link'))
    const d = okDetail(await publish(folder(join(sandbox, 'link')), makePayload()))
    expect(d.path).toBe(join(sandbox, 'real', '2025-06-02-q3-pricing-update.md'))
  })

  it(`${HOSTILE_STRINGS.length} hostile titles and ids: nothing appears outside the folder`, async () => {
    const sandbox = tempDir()
    const dir = join(sandbox, 'dest')
    mkdirSync(dir)
    mkdirSync(join(sandbox, 'sibling'))
    writeFileSync(join(sandbox, 'sibling', 'keep'), 'k')
    const before = snapshot(sandbox)
    let published = 0
    for (const hostile of HOSTILE_STRINGS)
      for (const template of ['{title}', '{title}.{ext}', '{id}-{type}']) {
        const d = okDetail(
          await publish(
            folder(dir, { template, format: 'text' }),
            makePayload({
              title: hostile,
              outputId: hostile.slice(0, 200) || 'x',
              typeName: hostile.slice(0, 200),
            }),
          ),
        )
        expect(d.path.startsWith(`${dir}/`)).toBe(true)
        expect(d.path.slice(dir.length + 1)).not.toContain('/')
        published++
      }
    const after = snapshot(sandbox)
    const added = [...after.keys()].filter((k) => !before.has(k))
    for (const k of added) expect(k.startsWith('dest/') && k.split('/').length === 2).toBe(true)
    // Each text publish writes the file and its sidecar.
    expect(added.length).toBe(published * 2)
    for (const [k, size] of before) expect(after.get(k)).toBe(size)
    expect(tempFilesIn(dir)).toEqual([])
  })

  it('refuses content that is not the approved version and writes nothing', async () => {
    const dir = tempDir()
    const p = makePayload()
    const r = failure(await publish(folder(dir), { ...p, content: `${p.content}tampered` }))
    expect(r.error).toMatch(/does not match the approved version/)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('drift check', () => {
  it('ok while the file holds the published bytes; changed after an edit or a swap for a link; missing once gone', async () => {
    const dir = tempDir()
    const d = okDetail(await publish(folder(dir), makePayload()))
    expect(await checkDrift(d)).toBe('ok')
    writeFileSync(d.path, `${readFileSync(d.path, 'utf8')}\nedited`)
    expect(await checkDrift(d)).toBe('changed')
    rmSync(d.path)
    expect(await checkDrift(d)).toBe('missing')
    writeFileSync(join(dir, 'copy'), 'x')
    symlinkSync(join(dir, 'copy'), d.path)
    expect(await checkDrift(d)).toBe('changed')
  })

  it('covers the sidecar of a text publish', async () => {
    const dir = tempDir()
    const d = okDetail(await publish(folder(dir, { format: 'text' }), makePayload()))
    expect(await checkDrift(d)).toBe('ok')
    writeFileSync(d.sidecarPath!, '{}')
    expect(await checkDrift(d)).toBe('changed')
  })
})
