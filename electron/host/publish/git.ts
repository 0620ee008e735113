/**
 * Publishing to a git repository: the folder behaviour inside a work tree, then one commit of
 * exactly the published file(s), optionally pushed. Uses the git CLI through execFile (no shell),
 * with every path after `--`. Publishes into the same repository are queued, so two never race
 * for the index lock. If the commit fails, the work tree is put back as it was; a failed push
 * keeps the commit and says so in the receipt.
 */
import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { stripBidi } from '../../../shared/bidi.ts'
import type { GitConfig } from '../../../shared/publish/destinations.ts'
import type { PublishPayload } from '../../../shared/publish/manifest.ts'
import { PublishError } from './errors.ts'
import { resolveFolder, writeOutput } from './folder.ts'

export interface GitPublishResult {
  commit: string
  path: string
  /** The file's path inside the repository, with forward slashes. */
  repoPath: string
  fileHash: string
  bytes: number
  sidecarPath?: string
  sidecarHash?: string
  pushed: boolean
  pushError?: string
}

export type GitTarget = Pick<
  GitConfig,
  'path' | 'format' | 'template' | 'overwrite' | 'push' | 'remote' | 'authorName' | 'authorEmail'
>

export const DEFAULT_GIT_IDENTITY = { name: 'Signoff', email: 'signoff@localhost' }
const GIT_TIMEOUT_MS = 60_000
const PUSH_TIMEOUT_MS = 60_000

interface GitRun {
  code: number
  stdout: string
  stderr: string
  timedOut: boolean
}

function git(cwd: string, args: string[], timeout = GIT_TIMEOUT_MS): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        timeout,
        maxBuffer: 16 * 1024 * 1024,
        // Never wait for a password prompt nobody will see.
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
          LC_ALL: 'C',
          // File names are names, not patterns: `a[b].md` must not also match `ab.md`.
          GIT_LITERAL_PATHSPECS: '1',
        },
      },
      (error, stdout, stderr) => {
        if (error && (error as { code?: unknown }).code === 'ENOENT') {
          reject(
            new PublishError('git is not installed on this machine (or not on the PATH).', {
              retryable: false,
            }),
          )
          return
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr), timedOut: Boolean(error?.killed) })
      },
    )
  })
}

const firstLines = (s: string, n = 3) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' ')

const queues = new Map<string, Promise<unknown>>()

/** Run `fn` after every earlier publish into the same repository has finished. */
function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  const settled = next.catch(() => {})
  queues.set(key, settled)
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key)
  })
  return next
}

/** The top folder of the repository `path` is in; a PublishError saying so when it is in none. */
async function repositoryRoot(path: string): Promise<string> {
  const folder = await resolveFolder(path)
  const top = await git(folder, ['rev-parse', '--show-toplevel'])
  if (top.code !== 0) {
    const bare = await git(folder, ['rev-parse', '--is-bare-repository'])
    throw new PublishError(
      bare.code === 0 && bare.stdout.trim() === 'true'
        ? `The folder ${path} is a bare git repository, which has no files to publish into: give the path of a clone of it, and turn on push to send the commit there.`
        : `The folder ${path} is not inside a git repository (git init it first).`,
      { retryable: false },
    )
  }
  return top.stdout.trim()
}

/**
 * What stops publishing into the repository at `path` (not a repository, git missing), or null:
 * for Save and Test in Settings, so that it is said there rather than at the first publish.
 */
export async function gitRepositoryProblem(path: string): Promise<string | null> {
  try {
    await repositoryRoot(path)
    return null
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

export async function publishToGit(target: GitTarget, payload: PublishPayload): Promise<GitPublishResult> {
  const root = await repositoryRoot(target.path)
  return serialised(root, () => publishInRepo(root, target, payload))
}

async function publishInRepo(
  root: string,
  target: GitTarget,
  payload: PublishPayload,
): Promise<GitPublishResult> {
  await refuseUnfinishedWork(root)
  const identity = await identityArgs(root, target)
  const pending = await writeOutput(target, payload)
  const r = pending.result
  const files = [r.path, ...(r.sidecarPath ? [r.sidecarPath] : [])].map((p) => relative(root, p))
  let commit: string
  try {
    const add = await git(root, ['add', '--', ...files])
    if (add.code !== 0) throw lockedOr(add, root, `git add failed: ${firstLines(add.stderr)}`)
    const done = await git(root, [
      ...identity,
      'commit',
      '--quiet',
      '--no-edit',
      '-m',
      commitMessage(payload),
      '--',
      ...files,
    ])
    if (done.code !== 0)
      throw done.timedOut
        ? new PublishError(
            'git commit did not finish in time (a commit hook or signing may be waiting); nothing was committed.',
            { retryable: true },
          )
        : lockedOr(done, root, `git commit failed: ${firstLines(done.stderr || done.stdout)}`)
    const head = await git(root, ['rev-parse', 'HEAD'])
    commit = head.stdout.trim()
  } catch (e) {
    // Put the work tree and the index back as they were before this publish.
    await git(root, ['reset', '--quiet', '--', ...files]).catch(() => {})
    await pending.undo()
    throw e
  }
  await pending.keep()

  const result: GitPublishResult = {
    commit,
    path: r.path,
    repoPath: files[0]!.split('\\').join('/'),
    fileHash: r.fileHash,
    bytes: r.bytes,
    pushed: false,
  }
  if (r.sidecarPath && r.sidecarHash) {
    result.sidecarPath = r.sidecarPath
    result.sidecarHash = r.sidecarHash
  }
  if (target.push) {
    const push = await git(root, ['push', '--quiet', '--', target.remote, 'HEAD'], PUSH_TIMEOUT_MS)
    if (push.code === 0) result.pushed = true
    else
      result.pushError = push.timedOut
        ? `git push to ${target.remote} did not finish within ${PUSH_TIMEOUT_MS / 1000} s; the commit is kept locally.`
        : `git push to ${target.remote} failed: ${firstLines(push.stderr)}. The commit is kept locally.`
  }
  return result
}

/**
 * A git step refused because another git process holds the repository's lock (an editor's commit,
 * a fetch in the background): said in words and worth trying again, unlike `otherwise`.
 */
function lockedOr(run: GitRun, root: string, otherwise: string): PublishError {
  const lock = /Unable to create '([^']+\.lock)': File exists/.exec(run.stderr)?.[1]
  if (!lock) return new PublishError(otherwise, { retryable: false })
  return new PublishError(
    `Another git program is using the repository at ${root} (${lock} exists). Try again once it has finished; if none is running, delete that file. Nothing was committed.`,
    { retryable: true },
  )
}

/**
 * Refuse a repository in the middle of a merge, rebase or cherry-pick, with conflicts, or not on a
 * branch: a commit on a detached HEAD belongs to no branch, and the approved file would be left
 * behind by the next checkout.
 */
async function refuseUnfinishedWork(root: string): Promise<void> {
  const unmerged = await git(root, ['diff', '--name-only', '--diff-filter=U'])
  const conflicted = unmerged.stdout.split('\n').filter(Boolean)
  if (conflicted.length > 0)
    throw new PublishError(
      `The git repository at ${root} has unresolved conflicts (${conflicted.slice(0, 3).join(', ')}${conflicted.length > 3 ? ', …' : ''}). Resolve them and commit, then publish again.`,
      { retryable: false },
    )
  for (const [ref, what] of [
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
  ] as const) {
    const r = await git(root, ['rev-parse', '-q', '--verify', ref])
    if (r.code === 0)
      throw new PublishError(
        `The git repository at ${root} is in the middle of ${what}. Finish it, then publish again.`,
        {
          retryable: false,
        },
      )
  }
  for (const dir of ['rebase-merge', 'rebase-apply']) {
    const p = await git(root, ['rev-parse', '--git-path', dir])
    const inProgress = await stat(resolve(root, p.stdout.trim())).then(
      () => true,
      () => false,
    )
    if (inProgress)
      throw new PublishError(
        `The git repository at ${root} is in the middle of a rebase. Finish it, then publish again.`,
        {
          retryable: false,
        },
      )
  }
  // Last: a rebase leaves HEAD detached too, and is better named as a rebase.
  const branch = await git(root, ['symbolic-ref', '-q', 'HEAD'])
  if (branch.code !== 0) {
    const at = (await git(root, ['rev-parse', '--short', 'HEAD'])).stdout.trim()
    throw new PublishError(
      `The git repository at ${root} is not on a branch (detached HEAD${at ? ` at ${at}` : ''}): a commit there would belong to no branch. Check out the branch to publish to, then publish again.`,
      { retryable: false },
    )
  }
}

/** The configured author, else the repository's own identity, else Signoff's default. */
async function identityArgs(root: string, target: GitTarget): Promise<string[]> {
  let name = target.authorName
  let email = target.authorEmail
  if (!name) name = (await git(root, ['config', 'user.name'])).stdout.trim() || DEFAULT_GIT_IDENTITY.name
  if (!email) email = (await git(root, ['config', 'user.email'])).stdout.trim() || DEFAULT_GIT_IDENTITY.email
  return ['-c', `user.name=${name}`, '-c', `user.email=${email}`]
}

/**
 * One line of a commit message: no line breaks, and no bidi controls, which would reorder the
 * subject in `git log` (a title or a name from another member's document may hold them).
 */
const oneLine = (s: string) => stripBidi(s.replace(/[\r\n\t]+/g, ' ')).trim()

export function commitMessage(payload: PublishPayload): string {
  const m = payload.manifest
  const approvers = m.approvers.map((a) => oneLine(a.name || a.memberId)).join(', ') || 'nobody'
  const subject = `Publish: ${oneLine(m.title) || m.outputId} (${oneLine(m.typeName)}) — approved by ${approvers}`
  const body = [
    `Output: ${m.outputId}`,
    `Content hash: ${m.contentHash}`,
    `Published by: ${oneLine(m.publishedBy)} at ${m.publishedAt}`,
    `Destination: ${oneLine(m.destinationName)} (${m.destinationId})`,
    ...m.checklist.map(
      (c) =>
        `Checklist: ${oneLine(c.title)}: ${c.verdict}${c.carriedFrom ? ` (carried over from round ${c.carriedFrom.round})` : ''}`,
    ),
  ]
  return `${subject}\n\n${body.join('\n')}\n`
}
