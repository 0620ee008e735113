/**
 * Signed commands, performed by the host (shared/host/perform.ts): this window holds no private
 * key. It sends the host its documents' state vectors and the changes the host may lack, the
 * host runs the same shared/domain command with the same rules and signs what it appends, and
 * the changes come back to be applied here at once. Commands of one window run one after another,
 * in the order asked, so a note of an edit is recorded before the decision that follows it.
 */
import { fromBase64, toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { localOrigin } from '../../../shared/domain/origins.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { HostApi } from '../../../shared/host/api.ts'
import { tooLongInWords } from '../../../shared/host/issue-words.ts'
import {
  type DocReply,
  type DocState,
  type OutputCommand,
  outputCommandSchema,
  type PerformInput,
  type PerformResult,
  type WorkspaceCommand,
} from '../../../shared/host/perform.ts'

export type CommandResult<V = unknown> = { ok: true; value: V } | { ok: false; reason: string }

/** Said when there is no host to sign with (a bare page). */
export const NO_HOST =
  'This window is not connected to the Signoff host, which holds your signing key: nothing can be recorded.'

type Perform = HostApi['perform']

/**
 * Changes up to this size (base64) go with a command; more wait for the window's channel. The
 * host takes up to 900 KiB per document in one request (shared/host/perform.ts).
 */
export const INLINE_CHANGES_BYTES = 256 * 1024

function carried(p: PerformInput): number {
  return (p.workspace.update?.length ?? 0) + ('output' in p ? (p.output?.update?.length ?? 0) : 0)
}

export class HostCommands {
  private readonly perform: Perform | undefined
  private readonly workspaceId: string
  private readonly memberId: string
  private readonly workspaceDoc: Y.Doc
  /** The host's state vector per document as of its last answer: later requests send the rest. */
  private readonly hostVectors = new WeakMap<Y.Doc, string>()
  private queue: Promise<unknown> = Promise.resolve()
  /** Resolves once this window's channel has delivered its changes to the host (session.flush). */
  saved: (() => Promise<unknown>) | undefined
  /** Tell the host about this membership (AppModel.hostLink); awaited before the first command. */
  register: (() => Promise<unknown>) | undefined
  private registered: Promise<unknown> | undefined

  constructor(perform: Perform | undefined, workspaceId: string, memberId: string, workspaceDoc: Y.Doc) {
    this.perform = perform
    this.workspaceId = workspaceId
    this.memberId = memberId
    this.workspaceDoc = workspaceDoc
  }

  /** Perform a command on one output (its document as this window has it). */
  onOutput<V = unknown>(outputId: string, doc: Y.Doc, command: OutputCommand): Promise<CommandResult<V>> {
    const refused = typedTextTooLong(command)
    if (refused) return Promise.resolve({ ok: false, reason: refused })
    return this.enqueue(() =>
      this.call<V>(
        (ws, out) => ({
          workspaceId: this.workspaceId,
          memberId: this.memberId,
          outputId,
          command,
          workspace: ws,
          output: out ?? this.state(doc),
        }),
        doc,
      ),
    )
  }

  /** Perform a command on the workspace document (device keys). */
  onWorkspace<V = unknown>(command: WorkspaceCommand): Promise<CommandResult<V>> {
    return this.enqueue(() =>
      this.call<V>((ws) => ({
        workspaceId: this.workspaceId,
        memberId: this.memberId,
        command,
        workspace: ws,
      })),
    )
  }

  /** Resolves once every command asked so far has been answered. */
  settled(): Promise<void> {
    return this.queue.then(() => undefined)
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * A document's vector, and the changes beyond what the host was last known to have. With no
   * known vector, the changes beyond this window's own: no content, only every deletion (which a
   * vector does not show), so a word deleted a moment ago is gone on the host's copy too. The host
   * asks for the rest (`needs`) only when its copy lacks some.
   */
  private state(doc: Y.Doc, hostVector = this.hostVectors.get(doc)): DocState {
    const own = Y.encodeStateVector(doc)
    const since = hostVector ? fromBase64(hostVector) : own
    return { vector: toBase64(own), update: toBase64(Y.encodeStateAsUpdate(doc, since)) }
  }

  private async call<V>(
    input: (ws: DocState, out?: DocState) => PerformInput,
    outDoc?: Y.Doc,
  ): Promise<CommandResult<V>> {
    const perform = this.perform
    if (!perform) return { ok: false, reason: NO_HOST }
    const ask = async (first: PerformInput): Promise<PerformResult> => {
      try {
        return await perform(first)
      } catch (e) {
        return {
          ok: false,
          reason: `The host could not record this: ${e instanceof Error ? e.message : String(e)}`,
        }
      }
    }
    this.registered ??= this.register?.().catch(() => undefined)
    await this.registered
    // Many changes since the host's last answer (a large paste, an import, long offline work) are
    // more than one request may carry. This window's channel is delivering them anyway: then wait
    // until it has ("Saved") and send none; the host says if it still lacks some.
    const lean = async (): Promise<PerformInput> => {
      await this.saved?.().catch(() => undefined)
      for (const doc of [this.workspaceDoc, outDoc]) if (doc) this.hostVectors.delete(doc)
      return input(this.state(this.workspaceDoc))
    }
    const first = () => {
      const full = input(this.state(this.workspaceDoc))
      return this.saved && carried(full) > INLINE_CHANGES_BYTES ? lean() : full
    }
    let result = await ask(await first())
    if (!result.ok && result.unregistered && this.register) {
      await this.register().catch(() => undefined)
      result = await ask(await first())
    }
    // The host's copy lacks some of this window's changes: send them beyond its vectors.
    const missing = (needs: { workspace?: string; output?: string }) =>
      input(
        this.state(this.workspaceDoc, needs.workspace ?? this.hostVectors.get(this.workspaceDoc)),
        outDoc ? this.state(outDoc, needs.output ?? this.hostVectors.get(outDoc)) : undefined,
      )
    if (!result.ok && result.needs && this.saved && carried(missing(result.needs)) > INLINE_CHANGES_BYTES)
      result = await ask(await lean())
    if (!result.ok && result.needs) result = await ask(missing(result.needs))
    if (!result.ok) return { ok: false, reason: result.reason }
    this.apply(this.workspaceDoc, result.workspace)
    if (outDoc && result.output) this.apply(outDoc, result.output)
    return { ok: true, value: result.value as V }
  }

  private apply(doc: Y.Doc, reply: DocReply) {
    // This member's own change, made by the host for them: it syncs on from here like any other.
    Y.applyUpdate(doc, fromBase64(reply.update), localOrigin(this.memberId))
    this.hostVectors.set(doc, reply.vector)
  }
}

/**
 * Text the person typed past its limit (a comment, a suggestion, a reason), said at once in the
 * host's own words, with nothing sent: the host would refuse it the same way (api.ts).
 */
function typedTextTooLong(command: OutputCommand): string | null {
  const parsed = outputCommandSchema.safeParse(command)
  if (parsed.success) return null
  for (const issue of parsed.error.issues) {
    const said = tooLongInWords(issue, command)
    if (said) return said
  }
  return null
}

/** Each open workspace's commands, so a screen holding the workspace and output can reach them. */
const byWorkspace = new WeakMap<Workspace, HostCommands>()

export function registerCommands(ws: Workspace, commands: HostCommands): void {
  byWorkspace.set(ws, commands)
}

/**
 * Ask the host to perform a command on this output as this window's member (`outputId` for a
 * new output whose document is still empty). Resolves with the result or a refusal's sentence.
 */
export function onHost<V = unknown>(
  ws: Workspace,
  out: OutputDoc,
  command: OutputCommand,
  outputId = out.id,
): Promise<CommandResult<V>> {
  const commands = byWorkspace.get(ws)
  if (!commands) return Promise.resolve({ ok: false, reason: NO_HOST })
  return commands.onOutput<V>(outputId, out.doc, command)
}

/** Ask the host to perform a workspace command (device keys) as this window's member. */
export function onHostWorkspace<V = unknown>(
  ws: Workspace,
  command: WorkspaceCommand,
): Promise<CommandResult<V>> {
  const commands = byWorkspace.get(ws)
  if (!commands) return Promise.resolve({ ok: false, reason: NO_HOST })
  return commands.onWorkspace<V>(command)
}
