/**
 * Signing in the host: a window asks for one command (shared/host/perform.ts) and the host runs
 * it on its own copy of the documents with the member's key, which never leaves this process.
 *
 * Its copy is the member's own replica (two members of one relay workspace on this device each
 * have one; see Replicas); when it holds none for that member (a workspace kept on this device
 * only that another member's windows hold, or a host without a local log) a copy made for this
 * request, loaded from the team's relay under the member's own token when there is one. Either way the window's changes the copy lacks are merged
 * in first (they are the member's own edits, which the window would sync anyway), the command
 * checks its rules on the result, and the host signs only the events it appended itself. The
 * window gets back the changes it lacks (the new events among them) and applies them at once, so
 * it sees the result whether it syncs with the host or with the relay.
 */
import { fromBase64, toBase64 } from 'lib0/buffer'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { outputDocName, workspaceDocName } from '../../../shared/docnames.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import { Workspace } from '../../../shared/domain/workspace.ts'
import type { DocReply, PerformInput, PerformResult } from '../../../shared/host/perform.ts'
import type { Membership } from '../../../shared/host/workspaces.ts'
import type { DeviceKeyStore, HeldDeviceKey } from '../device-keys.ts'
import type { Replicas } from '../replica/replicas.ts'
import { type CommandOutcome, runOutputCommand, runWorkspaceCommand } from './commands.ts'
import type { TokenIdentities } from './identity.ts'

export interface PerformDeps {
  replicas: Replicas | null
  keys: DeviceKeyStore | null
  /** Checks with the relay that a membership's token is that member's (relay workspaces). */
  identities?: TokenIdentities
  now?: () => number
  log?: (line: string) => void
  /** How long the host waits for a window's changes already on their way (sync, relay). */
  waitMs?: number
  /** How long a copy made for one request waits for the relay. */
  relayWaitMs?: number
  /** Copies for memberships the host holds no replica of, kept open between requests. */
  transients?: TransientCopies
}

/** The origin of a window's changes merged in with its request. */
const FROM_WINDOW = Object.freeze({ source: 'window request' })

interface Copy {
  workspace: Workspace
  output?: OutputDoc
  /** True for a copy made for this request (not a held replica). */
  transient: boolean
  release(): void
}

export const NOT_CAUGHT_UP =
  'The host has not received this window’s latest changes yet, so it cannot check this against what you see. Try again in a moment.'

/** Which clients of `vector` the document lacks changes of. */
function lacks(doc: Y.Doc, vector: string): boolean {
  let theirs: Map<number, number>
  try {
    theirs = Y.decodeStateVector(fromBase64(vector))
  } catch {
    return false
  }
  const ours = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const [client, clock] of theirs) if ((ours.get(client) ?? 0) < clock) return true
  return false
}

function merge(doc: Y.Doc, update: string | undefined): string | null {
  if (!update) return null
  try {
    Y.applyUpdate(doc, fromBase64(update), FROM_WINDOW)
    return null
  } catch (e) {
    return `The window’s changes could not be read (${e instanceof Error ? e.message : String(e)}).`
  }
}

/** Resolve when `doc` no longer lacks any of `vector`, or after `ms`; true when it caught up. */
function caughtUp(doc: Y.Doc, vector: string, ms: number): Promise<boolean> {
  if (!lacks(doc, vector)) return Promise.resolve(true)
  if (ms <= 0) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer)
      doc.off('update', check)
      resolve(ok)
    }
    const check = () => {
      if (!lacks(doc, vector)) done(true)
    }
    const timer = setTimeout(() => done(false), ms)
    doc.on('update', check)
  })
}

function reply(doc: Y.Doc, windowVector: string): DocReply {
  let vector: Uint8Array | undefined
  try {
    vector = fromBase64(windowVector)
    Y.decodeStateVector(vector)
  } catch {
    vector = undefined
  }
  return { update: toBase64(Y.encodeStateAsUpdate(doc, vector)), vector: toBase64(Y.encodeStateVector(doc)) }
}

/** A copy for one request: loaded from the relay under the member's token, when there is one. */
async function transientCopy(
  input: PerformInput,
  membership: Membership | undefined,
  waitMs: number,
): Promise<Copy> {
  const relay =
    membership?.relayUrl && membership.token ? { url: membership.relayUrl, token: membership.token } : null
  const docs: { doc: Y.Doc; provider: WebsocketProvider | null }[] = []
  const open = (name: string) => {
    const doc = new Y.Doc()
    const provider = relay
      ? new WebsocketProvider(relay.url, name, doc, {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          params: { token: relay.token },
          disableBc: true,
        })
      : null
    provider?.awareness.setLocalState(null)
    docs.push({ doc, provider })
    return doc
  }
  const wsDoc = open(workspaceDocName(input.workspaceId))
  const outDoc = 'outputId' in input ? open(outputDocName(input.workspaceId, input.outputId)) : undefined
  await Promise.all(
    docs.map(({ provider }) =>
      provider && !provider.synced
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs)
            provider.once('sync', () => {
              clearTimeout(timer)
              resolve()
            })
          })
        : undefined,
    ),
  )
  return {
    workspace: new Workspace(wsDoc, { migrate: false }),
    ...(outDoc ? { output: new OutputDoc(outDoc, { migrate: false }) } : {}),
    transient: true,
    release: () => {
      for (const { doc, provider } of docs) {
        provider?.destroy()
        doc.destroy()
      }
    },
  }
}

/** How long a copy made for a window's requests stays open after its last one. */
export const TRANSIENT_IDLE_MS = 30_000

/**
 * Copies made for windows' requests (memberships the host holds no replica of), kept open a
 * while after each request so a burst of actions loads from the relay once, and one request at
 * a time per copy.
 */
export class TransientCopies {
  private readonly open = new Map<
    string,
    { copy: Promise<Copy>; timer?: ReturnType<typeof setTimeout>; queue: Promise<unknown>; pending: number }
  >()

  /** Run `fn` with the copy for this request's membership and output, made if none is open. */
  use<T>(input: PerformInput, make: () => Promise<Copy>, fn: (copy: Copy) => Promise<T>): Promise<T> {
    const key = `${input.workspaceId}\n${input.memberId}\n${'outputId' in input ? input.outputId : ''}`
    let entry = this.open.get(key)
    if (!entry) {
      entry = { copy: make(), queue: Promise.resolve(), pending: 0 }
      this.open.set(key, entry)
    }
    const e = entry
    clearTimeout(e.timer)
    e.pending++
    const run = async () => fn(await e.copy)
    const result = e.queue.then(run, run)
    e.queue = result.catch(() => undefined)
    void e.queue.then(() => {
      e.pending--
      clearTimeout(e.timer)
      e.timer = setTimeout(() => {
        if (this.open.get(key) !== e || e.pending > 0) return
        this.open.delete(key)
        void e.copy.then(
          (c) => c.release(),
          () => undefined,
        )
      }, TRANSIENT_IDLE_MS)
      e.timer.unref?.()
    })
    return result
  }

  close(): void {
    for (const e of this.open.values()) {
      clearTimeout(e.timer)
      void e.copy.then(
        (c) => c.release(),
        () => undefined,
      )
    }
    this.open.clear()
  }
}

async function heldCopy(input: PerformInput, replicas: Replicas, waitMs: number): Promise<Copy | null> {
  const held = replicas.get(input.workspaceId, input.memberId)
  if (!held || held.memberId !== input.memberId) return null
  if (!('outputId' in input)) return { workspace: held.workspace, transient: false, release: () => {} }
  const unpin = held.pin(input.outputId)
  const open = await held.syncedOutput(input.outputId, waitMs)
  return { workspace: held.workspace, output: open.output, transient: false, release: unpin }
}

export async function performForWindow(input: PerformInput, deps: PerformDeps): Promise<PerformResult> {
  if (!deps.keys) return { ok: false, reason: 'This shell has no data folder to keep a signing key in.' }
  // Only for a membership a window opened on this device: the host makes no key for anyone else.
  const membership = deps.replicas?.membershipOf(input.workspaceId, input.memberId)
  if (deps.replicas && !membership)
    return {
      ok: false,
      reason: 'This device has not opened that workspace as that member, so it signs nothing for them.',
      unregistered: true,
    }
  // And, on a relay, only with a token the relay says is that member's.
  if (membership?.relayUrl && membership.token && deps.identities) {
    const checked = await deps.identities.check(
      membership.relayUrl,
      membership.token,
      input.workspaceId,
      input.memberId,
    )
    if (!checked.ok) return checked
  }
  let key: HeldDeviceKey
  try {
    key = await deps.keys.get(input.workspaceId, input.memberId)
  } catch (e) {
    return {
      ok: false,
      reason: `This device has no signing key for you here, so nothing can be recorded: ${e instanceof Error ? e.message : String(e)}`,
    }
  }
  const waitMs = deps.waitMs ?? 2000
  const held = deps.replicas ? await heldCopy(input, deps.replicas, waitMs) : null
  if (held)
    try {
      return await performOn(held, input, key, deps, waitMs)
    } finally {
      held.release()
    }
  const make = () =>
    transientCopy(
      input,
      deps.replicas?.membershipOf(input.workspaceId, input.memberId),
      deps.relayWaitMs ?? 3000,
    )
  if (deps.transients)
    return deps.transients.use(input, make, (copy) => performOn(copy, input, key, deps, waitMs))
  const copy = await make()
  try {
    return await performOn(copy, input, key, deps, waitMs)
  } finally {
    copy.release()
  }
}

/** Merge the window's changes into the copy, check it caught up, run the command, answer. */
async function performOn(
  copy: Copy,
  input: PerformInput,
  key: HeldDeviceKey,
  deps: PerformDeps,
  waitMs: number,
): Promise<PerformResult> {
  const wsDoc = copy.workspace.doc
  const outDoc = copy.output?.doc
  const unreadable =
    merge(wsDoc, input.workspace.update) ??
    ('output' in input && outDoc ? merge(outDoc, input.output.update) : null)
  if (unreadable) return { ok: false, reason: unreadable }
  // Changes already on their way (the window's sync with the host, or the relay) may still come.
  const wait = copy.transient ? 0 : waitMs
  const [wsOk, outOk] = await Promise.all([
    caughtUp(wsDoc, input.workspace.vector, wait),
    'output' in input && outDoc ? caughtUp(outDoc, input.output.vector, wait) : true,
  ])
  if (!wsOk || !outOk)
    return {
      ok: false,
      reason: NOT_CAUGHT_UP,
      needs: {
        ...(wsOk ? {} : { workspace: toBase64(Y.encodeStateVector(wsDoc)) }),
        ...(outOk || !outDoc ? {} : { output: toBase64(Y.encodeStateVector(outDoc)) }),
      },
    }
  const ws = copy.workspace
  if (copy.transient) {
    if (ws.id) ws.migrate()
    if (copy.output?.id) copy.output.migrate()
  }
  if (!ws.id)
    return { ok: false, reason: 'This workspace has not reached the host yet. Try again in a moment.' }
  if (!ws.members.get(input.memberId))
    return {
      ok: false,
      reason: 'You are not a member of this workspace, so nothing can be recorded for you.',
    }
  if (ws.signerFor(input.memberId)?.key.publicKey !== key.publicKey) ws.holdKey(input.memberId, key)
  const now = deps.now?.() ?? Date.now()
  let outcome: CommandOutcome
  try {
    outcome =
      'outputId' in input && copy.output
        ? runOutputCommand(ws, copy.output, input.memberId, input.command, input.outputId, now)
        : 'outputId' in input
          ? { ok: false, reason: 'The output is not open on the host.' }
          : runWorkspaceCommand(ws, input.memberId, input.command, key, now)
  } catch (e) {
    deps.log?.(`A ${input.command.name} for ${input.workspaceId} failed: ${(e as Error).message}`)
    outcome = {
      ok: false,
      reason: `This could not be recorded: ${e instanceof Error ? e.message : String(e)}`,
    }
  }
  if (!outcome.ok) return outcome
  return {
    ok: true,
    ...(outcome.value !== undefined ? { value: outcome.value } : {}),
    workspace: reply(wsDoc, input.workspace.vector),
    ...('output' in input && outDoc ? { output: reply(outDoc, input.output.vector) } : {}),
  }
}
