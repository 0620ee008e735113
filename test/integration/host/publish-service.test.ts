import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer as createNetServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHost } from '../../../electron/host/index.ts'
import type { SafeStorageLike } from '../../../electron/host/publish/index.ts'
import { contentHash } from '../../../shared/domain/hash.ts'
import { parseHostInput } from '../../../shared/host/api.ts'
import type { PublishPayload } from '../../../shared/publish/manifest.ts'
import { testScope } from '../../support/scope.ts'
import { tempDir } from '../publish/helpers.ts'
import { startSmtpPeer } from '../publish/smtp-peer.ts'
import { startWebhookPeer } from '../publish/webhook-peer.ts'

const scope = testScope()

function host(safeStorage?: SafeStorageLike) {
  const dataDir = tempDir('signoff-host-publish-')
  const h = createHost({ shell: 'web', version: 'test', dataDir, ...(safeStorage ? { safeStorage } : {}) })
  scope.defer(() => rmSync(dataDir, { recursive: true, force: true }))
  scope.defer(() => h.close())
  return { h, dataDir }
}

function folder() {
  const dir = scope.dir('signoff-dest-')
  return dir
}

function payload(content = '# Weekly summary\n\nAll good.\n'): PublishPayload {
  return {
    content,
    manifest: {
      outputId: 'o1',
      workspaceId: 'w1',
      title: 'Weekly summary',
      typeId: 'internal-summary',
      typeName: 'Internal summary',
      risk: 'low',
      contentHash: contentHash(content),
      approvers: [{ memberId: 'm1', name: 'Ada', at: '2026-01-02T03:04:05.000Z' }],
      checklist: [],
      publishedBy: 'm1',
      publishedAt: '2026-01-02T03:05:00.000Z',
      destinationId: 'd1',
      destinationName: 'Shared drive',
    },
  }
}

describe('the host publishing service', () => {
  it('checks a folder on save and with Test, naming the real cause (issue 12 #8)', async () => {
    const { h } = host()
    const dir = folder()
    const save = (path: string, kind: 'folder' | 'git' = 'folder') =>
      h.saveDestinationSettings(
        parseHostInput('saveDestinationSettings', {
          workspaceId: 'w1',
          destinationId: 'd1',
          config: { kind, path },
        }),
      )
    const test = (path: string, kind: 'folder' | 'git' = 'folder') =>
      h.testDestinationSettings(
        parseHostInput('testDestinationSettings', {
          workspaceId: 'w1',
          destinationId: 'd1',
          config: { kind, path },
        }),
      )
    const missing = join(dir, 'no-such-folder')
    await expect(save(missing)).rejects.toThrow(`The folder ${missing} does not exist.`)
    expect(await test(missing)).toEqual({ ok: false, message: `The folder ${missing} does not exist.` })
    // A file is not a folder.
    writeFileSync(join(dir, 'a-file'), 'x')
    expect((await test(join(dir, 'a-file'))).message).toBe(`${join(dir, 'a-file')} is not a folder.`)
    // /proc/1 exists but takes no files: said so, not "does not exist".
    if (process.platform === 'linux') {
      const proc = await test('/proc/1')
      expect(proc.ok).toBe(false)
      expect(proc.message).toMatch(/exists but does not take new files/)
      await expect(save('/proc/1')).rejects.toThrow(/exists but does not take new files/)
    }
    expect((await test('relative/path')).message).toBe(
      'The path relative/path is not a full path: give it from the top, such as /home/ada/Published.',
    )
    // A folder that is no git repository is said to be one at Save and Test, not at the first publish.
    const notRepo = `The folder ${dir} is not inside a git repository (git init it first).`
    expect(await test(dir, 'git')).toEqual({ ok: false, message: notRepo })
    await expect(save(dir, 'git')).rejects.toThrow(notRepo)
    expect(await h.destinationSettings('w1')).toEqual([])
    // A good folder: Test says so and leaves nothing behind; Save keeps it.
    expect(await test(dir)).toEqual({
      ok: true,
      message: `Signoff can write to ${dir}: a test file was created there and removed.`,
    })
    expect(readdirSync(dir)).toEqual(['a-file'])
    expect(await save(dir)).toMatchObject({ configured: true, config: { path: dir } })
    // A repository: Test says that too, and commits nothing.
    const repo = join(dir, 'repo')
    mkdirSync(repo)
    execFileSync('git', ['init', '-q', repo])
    expect(await test(repo, 'git')).toEqual({
      ok: true,
      message: `Signoff can write to ${repo}, which is in a git repository: a test file was created there and removed; nothing was committed.`,
    })
    expect(readdirSync(repo)).toEqual(['.git'])
  })

  it('publishes to a folder set up on this machine, and the drift check follows the file', async () => {
    const { h } = host()
    const dir = folder()
    const saved = await h.saveDestinationSettings(
      parseHostInput('saveDestinationSettings', {
        workspaceId: 'w1',
        destinationId: 'd1',
        config: { kind: 'folder', path: dir },
      }),
    )
    expect(saved).toMatchObject({ kind: 'folder', configured: true, config: { path: dir, overwrite: false } })
    expect(await h.destinationSettings('w1')).toHaveLength(1)
    expect(await h.destinationSettings('w2')).toHaveLength(0)

    const p = payload()
    const receipt = await h.publishOutput(
      parseHostInput('publishOutput', {
        workspaceId: 'w1',
        destinationId: 'd1',
        attemptId: 'p1',
        payload: p,
      }),
    )
    expect(receipt.ok).toBe(true)
    if (!receipt.ok) return
    const path = receipt.detail.path as string
    expect(path.startsWith(dir)).toBe(true)
    const text = readFileSync(path, 'utf8')
    expect(text).toContain(p.manifest.contentHash)
    expect(text).toContain('# Weekly summary')

    const drift = (r: typeof receipt) =>
      h.checkDrift(
        parseHostInput('checkDrift', {
          workspaceId: 'w1',
          destinationId: 'd1',
          receipt: r.ok ? (r.detail as { path: string; fileHash: string }) : { path: '', fileHash: '' },
        }),
      )
    expect(await drift(receipt)).toEqual({ status: 'ok' })
    writeFileSync(path, `${text}\nedited by hand\n`)
    expect(await drift(receipt)).toEqual({ status: 'changed' })
    rmSync(path)
    expect(await drift(receipt)).toEqual({ status: 'missing' })
  })
})

describe('the host publishing service: refusals', () => {
  it('refuses clearly when the destination is not set up here, and never reads files outside its folder', async () => {
    const { h } = host()
    const receipt = await h.publishOutput({
      workspaceId: 'w1',
      destinationId: 'd9',
      attemptId: 'p1',
      payload: payload(),
    })
    expect(receipt).toMatchObject({ ok: false, notConfigured: true, retryable: false })
    if (!receipt.ok) expect(receipt.error).toMatch(/is not set up on this machine/)

    const dir = folder()
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'd1',
      config: { kind: 'folder', path: dir },
    })
    const outside = join(folder(), 'secret.txt')
    writeFileSync(outside, 'x')
    expect(
      await h.checkDrift({
        workspaceId: 'w1',
        destinationId: 'd1',
        receipt: { path: outside, fileHash: 'a'.repeat(64) },
      }),
    ).toMatchObject({ status: 'unknown' })
  })

  it('refuses content that is not the approved bytes and junk arguments', async () => {
    const { h } = host()
    const dir = folder()
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'd1',
      config: { kind: 'folder', path: dir },
    })
    const p = payload()
    const receipt = await h.publishOutput({
      workspaceId: 'w1',
      destinationId: 'd1',
      attemptId: 'p2',
      payload: { ...p, content: `${p.content}tampered` },
    })
    expect(receipt).toMatchObject({ ok: false })
    if (!receipt.ok) expect(receipt.error).toMatch(/does not match the approved version/)
    expect(() =>
      parseHostInput('publishOutput', {
        workspaceId: 'w1',
        destinationId: '../x',
        attemptId: 'p',
        payload: p,
      }),
    ).toThrow(/Invalid argument/)
    expect(() =>
      parseHostInput('publishOutput', {
        workspaceId: 'w1',
        destinationId: 'd1',
        attemptId: 'p',
        payload: { ...p, content: 'x'.repeat(5_000_001) },
      }),
    ).toThrow('The content is 5,000,001 characters: at most 5,000,000 fit. Shorten it.')
    await expect(
      h.saveDestinationSettings({ workspaceId: 'w1', destinationId: 'd2', config: { kind: 'folder' } }),
    ).rejects.toThrow(
      'The destination settings are not valid. Folder path: Enter the full path of the folder on this machine, such as /home/ada/Published.',
    )
  })
})

describe('the host publishing service: secrets', () => {
  it('keeps webhook secrets encrypted at rest, lists them as set, and keeps them when left out', async () => {
    const { h, dataDir } = host()
    const secret = await h.generateWebhookSecret(undefined)
    expect(secret).toMatch(/^whsec_/)
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'hook',
      config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret },
    })
    const onDisk = readFileSync(join(dataDir, 'publish-destinations.json'), 'utf8')
    expect(onDisk).not.toContain(secret.slice(6))
    const [listed] = await h.destinationSettings('w1')
    expect(listed?.config.secret).toEqual({ set: true })
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6))
    // Edited without re-entering the secret: it is kept.
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'hook',
      config: { kind: 'webhook', url: 'http://127.0.0.1:9/other', maxAttempts: 1, timeoutMs: 200 },
    })
    expect((await h.destinationSettings('w1'))[0]?.config.secret).toEqual({ set: true })
    expect(await h.secretStorageStatus(undefined)).toMatchObject({ mode: 'local-key' })
    expect(await h.deleteDestinationSettings({ workspaceId: 'w1', destinationId: 'hook' })).toEqual({
      deleted: true,
    })
    expect(await h.destinationSettings('w1')).toEqual([])
  })

  it('uses the OS keychain when safeStorage is available', async () => {
    const fake: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from(s.split('').reverse().join(''), 'utf8'),
      decryptString: (b) => b.toString('utf8').split('').reverse().join(''),
    }
    const { h, dataDir } = host(fake)
    expect(await h.secretStorageStatus(undefined)).toMatchObject({ mode: 'os-keychain' })
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'mail',
      config: {
        kind: 'email',
        host: '127.0.0.1',
        from: 'a@example.com',
        to: ['b@example.com'],
        password: 'hunter2',
      },
    })
    expect(readFileSync(join(dataDir, 'publish-destinations.json'), 'utf8')).toContain('"os1:')
  })
})

describe('the host publishing service: Test for a webhook and an SMTP server', () => {
  const testIt = (h: ReturnType<typeof host>['h'], destinationId: string, config: Record<string, unknown>) =>
    h.testDestinationSettings(
      parseHostInput('testDestinationSettings', { workspaceId: 'w1', destinationId, config }),
    )

  it('sends a webhook one signed test event, with the stored secret when the field is left empty', async () => {
    const { h } = host()
    const secret = await h.generateWebhookSecret(undefined)
    const peer = await startWebhookPeer(secret)
    scope.defer(() => peer.close())
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'hook',
      config: { kind: 'webhook', url: peer.url, secret },
    })
    // As the form sends it: the secret field left empty keeps the stored one.
    const ok = await testIt(h, 'hook', { kind: 'webhook', url: peer.url, maxAttempts: 3, timeoutMs: 2000 })
    expect(ok).toEqual({
      ok: true,
      message: expect.stringMatching(
        /^The webhook at 127\.0\.0\.1:\d+ answered HTTP 200 to a signed test event/,
      ),
    })
    expect(peer.received).toHaveLength(1)
    expect(peer.received[0]!.verified).toBe(true)
    const body = JSON.parse(peer.received[0]!.body)
    expect(body.type).toBe('signoff.test')
    expect(body.data).not.toHaveProperty('content')
    // Nothing saved changed, and no receipt or publish came of it.
    expect((await h.destinationSettings('w1'))[0]?.config.url).toBe(peer.url)

    // A new secret typed in but not given to the receiver: its refusal, with what to do.
    const other = await h.generateWebhookSecret(undefined)
    const refused = await testIt(h, 'hook', { kind: 'webhook', url: peer.url, secret: other })
    expect(refused.ok).toBe(false)
    expect(refused.message).toMatch(
      /refused the test event: HTTP 401 \(“bad signature: no matching signature”\)/,
    )
    expect(refused.message).toMatch(/give it this destination's secret/)
    // One attempt only, even for a 5xx: a test does not retry.
    peer.fallback = 503
    const down = await testIt(h, 'hook', { kind: 'webhook', url: peer.url, maxAttempts: 5 })
    expect(down).toEqual({ ok: false, message: expect.stringContaining('refused the test event: HTTP 503') })
    expect(peer.received).toHaveLength(3)

    // Nothing listening, a bad URL, no secret at all: each said plainly.
    const closed = `http://127.0.0.1:${await freePort()}/hook`
    expect((await testIt(h, 'hook', { kind: 'webhook', url: closed })).message).toMatch(
      /could not be reached: the connection was refused/,
    )
    expect(await testIt(h, 'hook', { kind: 'webhook', url: 'ftp://example.com/x' })).toEqual({
      ok: false,
      message:
        'The destination settings are not valid. Webhook URL: A webhook URL starts with http:// or https://.',
    })
    expect((await testIt(h, 'new-hook', { kind: 'webhook', url: peer.url })).message).toBe(
      'The destination settings are not valid. Signing secret: Generate a secret, or paste the one the receiver gave you (it starts with “whsec_”).',
    )
  })

  it('signs in to an SMTP server and sends nothing; a wrong password or a closed port is named', async () => {
    const PASSWORD = 'correct horse battery staple'
    const smtp = await startSmtpPeer('publisher', PASSWORD)
    scope.defer(() => smtp.close())
    const port = smtp.port
    const { h } = host()
    const config = {
      kind: 'email',
      host: '127.0.0.1',
      port,
      security: 'none',
      user: 'publisher',
      from: 'signoff@example.test',
      to: ['team@example.test'],
      timeoutMs: 3000,
    }
    await h.saveDestinationSettings({
      workspaceId: 'w1',
      destinationId: 'mail',
      config: { ...config, password: PASSWORD },
    })
    // The password left empty: the stored one signs in.
    expect(await testIt(h, 'mail', config)).toEqual({
      ok: true,
      message: `Signed in to the SMTP server at 127.0.0.1:${port} as publisher (without TLS). No email was sent.`,
    })
    const wrong = await testIt(h, 'mail', { ...config, password: 'nope' })
    expect(wrong).toEqual({
      ok: false,
      message: `The SMTP server refused the user name or password (127.0.0.1:${port}).`,
    })
    const closed = await testIt(h, 'mail', { ...config, port: await freePort() })
    expect(closed.ok).toBe(false)
    expect(closed.message).toMatch(
      /Could not connect to the SMTP server at 127\.0\.0\.1:\d+ \(connection refused\)/,
    )
    expect(smtp.mails).toBe(0)
  })
})

/** A port nothing listens on: bound, then closed. */
async function freePort(): Promise<number> {
  const s = createNetServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
