import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type GitReceiptDetail, publish } from '../../../electron/host/publish/index.ts'
import { makePayload } from '../../unit/publish/fixture.ts'
import { detailOf, failed, tempDir } from './helpers.ts'

// Only the repositories' own config counts: no identity or hooks from this machine's user.
beforeAll(() => {
  const home = tempDir('signoff-git-home-')
  writeFileSync(join(home, 'gitconfig'), '')
  process.env.GIT_CONFIG_GLOBAL = join(home, 'gitconfig')
  process.env.GIT_CONFIG_NOSYSTEM = '1'
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Tester', '-c', 'user.email=tester@example.test', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()

/** Write `file` in `repo` and commit it alone with `message`. */
function commitFile(repo: string, file: string, text: string, message: string): void {
  writeFileSync(join(repo, file), text)
  git(repo, 'add', file)
  git(repo, 'commit', '-q', '-m', message)
}

function newRepo(): string {
  const dir = tempDir('signoff-repo-')
  git(dir, 'init', '-q', '-b', 'main')
  commitFile(dir, 'README.md', 'hello\n', 'init')
  return dir
}

const gitDest = (path: string, extra: Record<string, unknown> = {}) => ({
  kind: 'git' as const,
  path,
  ...extra,
})
const ok = detailOf<GitReceiptDetail>

describe('git destination', () => {
  it('commits exactly the published file with a message naming the output and its approvers', async () => {
    const repo = newRepo()
    const p = makePayload()
    const d = ok(await publish(gitDest(repo), p))
    expect(d.repoPath).toBe('2025-06-02-q3-pricing-update.md')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(d.commit)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(
      'Publish: Q3 pricing update (Pricing update) — approved by Ann Lee, Bo Chen',
    )
    const body = git(repo, 'log', '-1', '--format=%b')
    expect(body).toContain(`Content hash: ${p.manifest.contentHash}`)
    expect(body).toContain('Output: o_4fJk2mNpQrStUvWx')
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).toBe(d.repoPath)
    const committed = execFileSync('git', ['show', `HEAD:${d.repoPath}`], { cwd: repo })
    expect(createHash('sha256').update(committed).digest('hex')).toBe(d.fileHash)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    // No identity anywhere: Signoff's default.
    expect(git(repo, 'log', '-1', '--format=%an <%ae>')).toBe('Signoff <signoff@localhost>')
    expect(d.pushed).toBe(false)
  })

  it('leaves bidi controls out of the commit message (a title or a name cannot reorder git log)', async () => {
    const repo = newRepo()
    const p = makePayload()
    p.manifest.title = 'Invoice \u202efdp.exe'
    p.manifest.approvers = [{ ...p.manifest.approvers[0]!, name: '\u202enimda' }]
    ok(await publish(gitDest(repo), p))
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(
      'Publish: Invoice fdp.exe (Pricing update) — approved by nimda',
    )
  })

  it("uses the configured author, else the repository's identity", async () => {
    const repo = newRepo()
    git(repo, 'config', 'user.name', 'Repo Owner')
    git(repo, 'config', 'user.email', 'owner@example.test')
    ok(await publish(gitDest(repo), makePayload()))
    expect(git(repo, 'log', '-1', '--format=%an <%ae>')).toBe('Repo Owner <owner@example.test>')
    ok(
      await publish(gitDest(repo, { authorName: 'Pub Bot', authorEmail: 'bot@example.test' }), makePayload()),
    )
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn')).toBe('Pub Bot <bot@example.test>|Pub Bot')
  })

  it('publishes into a subfolder and leaves unrelated staged work staged and uncommitted', async () => {
    const repo = newRepo()
    mkdirSync(join(repo, 'docs', 'published'), { recursive: true })
    writeFileSync(join(repo, 'wip.txt'), 'work in progress')
    git(repo, 'add', 'wip.txt')
    const d = ok(await publish(gitDest(join(repo, 'docs', 'published'), { format: 'text' }), makePayload()))
    expect(d.repoPath).toBe('docs/published/2025-06-02-q3-pricing-update.txt')
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'docs/published/2025-06-02-q3-pricing-update.txt',
      'docs/published/2025-06-02-q3-pricing-update.txt.signoff.json',
    ])
    expect(git(repo, 'status', '--porcelain')).toBe('A  wip.txt')
  })

  it('treats file names literally: a title with glob characters commits only its own file', async () => {
    const repo = newRepo()
    commitFile(repo, 'ab.md', 'v1\n', 'ab')
    writeFileSync(join(repo, 'ab.md'), 'v2, not for publishing\n')
    const d = ok(await publish(gitDest(repo, { template: '{title}' }), makePayload({ title: 'a[b]' })))
    expect(d.repoPath).toBe('a[b].md')
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).toBe('a[b].md')
    expect(git(repo, 'status', '--porcelain')).toBe('M ab.md')
  })

  it('refuses a repository with a real merge conflict, writes nothing, and works once it is resolved', async () => {
    const repo = newRepo()
    commitFile(repo, 'a.txt', 'base\n', 'base')
    git(repo, 'checkout', '-q', '-b', 'other')
    writeFileSync(join(repo, 'a.txt'), 'theirs\n')
    git(repo, 'commit', '-q', '-am', 'theirs')
    git(repo, 'checkout', '-q', 'main')
    writeFileSync(join(repo, 'a.txt'), 'ours\n')
    git(repo, 'commit', '-q', '-am', 'ours')
    expect(() => git(repo, 'merge', 'other')).toThrow()
    const head = git(repo, 'rev-parse', 'HEAD')

    const r = failed(await publish(gitDest(repo), makePayload()))
    expect(r.error).toBe(
      `The git repository at ${repo} has unresolved conflicts (a.txt). Resolve them and commit, then publish again.`,
    )
    expect(r.retryable).toBe(false)
    expect(readdirSync(repo).sort()).toEqual(['.git', 'README.md', 'a.txt'])
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)

    // Resolved but not yet committed: still mid-merge, still refused.
    writeFileSync(join(repo, 'a.txt'), 'both\n')
    git(repo, 'add', 'a.txt')
    expect(failed(await publish(gitDest(repo), makePayload())).error).toMatch(/in the middle of a merge/)
    git(repo, 'commit', '-q', '--no-edit')
    ok(await publish(gitDest(repo), makePayload()))
  })
})

describe('git destination: outside a repository, remotes, failures and concurrency', () => {
  it('refuses a folder outside any repository', async () => {
    const dir = tempDir()
    expect(failed(await publish(gitDest(dir), makePayload())).error).toMatch(/is not inside a git repository/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a detached HEAD (the commit would belong to no branch) and writes nothing', async () => {
    const repo = newRepo()
    commitFile(repo, 'second.md', 'two\n', 'second')
    git(repo, 'checkout', '-q', 'HEAD~1')
    const head = git(repo, 'rev-parse', 'HEAD')
    const r = failed(await publish(gitDest(repo), makePayload()))
    expect(r.error).toBe(
      `The git repository at ${repo} is not on a branch (detached HEAD at ${head.slice(0, 7)}): a commit there would belong to no branch. Check out the branch to publish to, then publish again.`,
    )
    expect(r.retryable).toBe(false)
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readdirSync(repo).sort()).toEqual(['.git', 'README.md'])
    git(repo, 'checkout', '-q', 'main')
    expect(ok(await publish(gitDest(repo), makePayload())).commit).toBe(git(repo, 'rev-parse', 'main'))
  })

  it('says a bare repository has no files to publish into', async () => {
    const bare = tempDir()
    git(bare, 'init', '-q', '--bare')
    expect(failed(await publish(gitDest(bare), makePayload())).error).toBe(
      `The folder ${bare} is a bare git repository, which has no files to publish into: give the path of a clone of it, and turn on push to send the commit there.`,
    )
  })

  it("another git program's lock is said in words, may be retried, and leaves the work tree as it was", async () => {
    const repo = newRepo()
    const lock = join(repo, '.git', 'index.lock')
    writeFileSync(lock, '')
    const r = failed(await publish(gitDest(repo), makePayload()))
    expect(r.error).toBe(
      `Another git program is using the repository at ${repo} (${lock} exists). Try again once it has finished; if none is running, delete that file. Nothing was committed.`,
    )
    expect(r.retryable).toBe(true)
    expect(readdirSync(repo).sort()).toEqual(['.git', 'README.md'])
    rmSync(lock)
    expect(ok(await publish(gitDest(repo), makePayload())).repoPath).toBe('2025-06-02-q3-pricing-update.md')
  })

  it('pushes to the configured remote', async () => {
    const repo = newRepo()
    const bare = tempDir('signoff-bare-')
    git(bare, 'init', '-q', '--bare', '-b', 'main')
    git(repo, 'remote', 'add', 'origin', bare)
    const d = ok(await publish(gitDest(repo, { push: true }), makePayload()))
    expect(d.pushed).toBe(true)
    expect(git(bare, 'rev-parse', 'main')).toBe(d.commit)
  })

  it('a failed push keeps the commit and says why in the receipt', async () => {
    const repo = newRepo()
    git(repo, 'remote', 'add', 'origin', join(tempDir(), 'no-such-remote.git'))
    const r = await publish(gitDest(repo, { push: true }), makePayload())
    const d = ok(r)
    expect(d.pushed).toBe(false)
    expect(d.pushError).toMatch(/^git push to origin failed: .*The commit is kept locally\.$/)
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(d.commit)
  })

  it('a failed commit puts the work tree back (new file removed, replaced file restored); the retry works', async () => {
    const repo = newRepo()
    const first = ok(await publish(gitDest(repo), makePayload()))
    const firstBytes = readFileSync(first.path)
    const hook = join(repo, '.git', 'hooks', 'pre-commit')
    writeFileSync(hook, '#!/bin/sh\necho "policy says no" >&2\nexit 1\n')
    chmodSync(hook, 0o755)
    const head = git(repo, 'rev-parse', 'HEAD')

    const r = failed(await publish(gitDest(repo), makePayload({ publishedAt: '2025-06-02T23:00:00.000Z' })))
    expect(r.error).toMatch(/^git commit failed: policy says no/)
    const over = failed(
      await publish(
        gitDest(repo, { overwrite: true }),
        makePayload({ publishedAt: '2025-06-02T23:00:00.000Z' }),
      ),
    )
    expect(over.error).toMatch(/policy says no/)
    expect(readFileSync(first.path)).toEqual(firstBytes)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readdirSync(repo).filter((n) => n.startsWith('.signoff-'))).toEqual([])

    rmSync(hook)
    const retry = ok(
      await publish(
        gitDest(repo, { overwrite: true }),
        makePayload({ publishedAt: '2025-06-02T23:00:00.000Z' }),
      ),
    )
    expect(retry.path).toBe(first.path)
    expect(readFileSync(first.path, 'utf8')).toContain('2025-06-02T23:00:00.000Z')
  })

  it('concurrent publishes into one repository queue up: every one is its own commit', async () => {
    const repo = newRepo()
    const receipts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => publish(gitDest(repo), makePayload({ title: `Note ${i}` }))),
    )
    const commits = receipts.map((r) => ok(r).commit)
    expect(new Set(commits).size).toBe(6)
    expect(Number(git(repo, 'rev-list', '--count', 'HEAD'))).toBe(7)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(repo, '.git', 'index.lock'))).toBe(false)
  })
})
