/**
 * What a publish hands to a destination, built from the trail: exactly the claimed (approved)
 * bytes and the manifest saying what they are; and what goes back into the trail. Used by the
 * window (publish now) and the host (scheduled publishes).
 */
import type { Derived, DeriveInput } from '../domain/derive.ts'
import type { OutputDoc } from '../domain/output.ts'
import type { Claim, PublishOutcome } from '../domain/publish-actions.ts'
import type { Destination } from '../domain/types.ts'
import type { Workspace } from '../domain/workspace.ts'
import type { PublishResult } from '../host/publishing.ts'
import type { PublishPayload } from './manifest.ts'

const iso = (ms: number) => new Date(ms).toISOString()

/** The payload: exactly the claimed (approved) bytes and the manifest saying what they are. */
export function buildPayload(
  ws: Workspace,
  out: OutputDoc,
  input: DeriveInput,
  derived: Derived,
  claim: Claim,
  destination: Destination,
  publisherId: string,
  now: number,
): PublishPayload {
  const meta = out.readMeta()
  const name = (id: string) => ws.members.get(id)?.name ?? id
  return {
    content: claim.content,
    manifest: {
      outputId: meta.id,
      workspaceId: ws.id || meta.workspaceId,
      title: meta.title,
      typeId: meta.typeId,
      typeName: input.type?.name ?? meta.typeId,
      risk: input.type?.risk ?? 'medium',
      contentHash: claim.contentHash,
      approvers: derived.approvals
        .filter((a) => a.contentHash === claim.contentHash)
        .map((a) => ({ memberId: a.memberId, name: name(a.memberId), at: iso(a.at) })),
      checklist: derived.checklist.flatMap((row) =>
        row.judgement
          ? [
              {
                itemId: row.item.id,
                title: row.item.title,
                verdict: row.judgement.verdict,
                note: row.judgement.note,
                by: name(row.judgement.by),
                ...(row.judgement.carried
                  ? {
                      carriedFrom: {
                        round: row.judgement.carried.round,
                        contentHash: row.judgement.contentHash,
                      },
                    }
                  : {}),
              },
            ]
          : [],
      ),
      publishedBy: name(publisherId),
      publishedAt: iso(now),
      destinationId: destination.id,
      destinationName: destination.name,
    },
  }
}

/** What goes into the trail's `published` event: the kind, the time and the engine's detail. */
export function receiptRecord(r: Extract<PublishResult, { ok: true }>): Record<string, unknown> {
  return { kind: r.destinationKind, at: r.at, contentHash: r.contentHash, ...r.detail }
}

/**
 * Hand the payload over with `publish`, and what the trail records of it: the receipt (with
 * `note`), or the error. A `publish` that throws never reached the destination: a failure worth
 * retrying, in the words `unreached` gives the exception's message.
 */
export async function runPublish(
  publish: () => Promise<PublishResult>,
  attempt: { claim: Claim; destination: Destination; now: () => number; note?: string | undefined },
  unreached: (message: string) => string = (message) => message,
): Promise<{ result: PublishResult; outcome: PublishOutcome }> {
  let result: PublishResult
  try {
    result = await publish()
  } catch (e) {
    result = {
      ok: false,
      destinationKind: attempt.destination.kind,
      at: attempt.now(),
      contentHash: attempt.claim.contentHash,
      error: unreached(e instanceof Error ? e.message : String(e)),
      retryable: true,
    }
  }
  const outcome: PublishOutcome = result.ok
    ? { ok: true, receipt: receiptRecord(result), ...(attempt.note ? { note: attempt.note } : {}) }
    : { ok: false, error: result.error, retryable: result.retryable }
  return { result, outcome }
}
