/**
 * The output view's model: the documents it observes and what it derives from them (the review
 * state, the panel's view, the lock, where this reviewer last judged), recomputed only when those
 * documents change: the workspace at once, the content once typing pauses (doc-observable.ts).
 */
import { useMemo } from 'react'
import { deriveOutput, reassignOptions } from '../../../shared/domain/actions.ts'
import { allowedActions } from '../../../shared/domain/derive.ts'
import { contentLock } from '../../../shared/domain/locks.ts'
import { lastReviewBy } from '../../../shared/domain/rounds-since.ts'
import type { OpenOutput, WorkspaceSession } from '../data/session.ts'
import { useObserved } from '../state/observable.ts'
import { createUndoManager } from './collab.ts'
import { DocObservable, SettledObservable } from './doc-observable.ts'
import { EditRecorder } from './edit-recorder.ts'
import { reviewView } from './review-model.ts'
import { useResource } from './use-resource.ts'

export function useOutputModel(session: WorkspaceSession, open: OpenOutput) {
  const { workspace: ws, memberId } = session
  const out = open.output
  const docs = useResource(
    () => new DocObservable(out.doc, out.content),
    (d) => d.destroy(),
    [out],
  )
  const undoManager = useResource(
    () => createUndoManager(out.content, memberId),
    (u) => u.destroy(),
    [out, memberId],
  )
  const recorder = useResource(
    () => new EditRecorder(ws, out, memberId),
    (r) => r.destroy(),
    [ws, out, memberId],
  )
  // The workspace document at once; the rest of the session (keys, sync) once it settles.
  const wsDoc = useResource(
    () => new DocObservable(ws.doc),
    (d) => d.destroy(),
    [ws],
  )
  const sessionSettled = useResource(
    () => new SettledObservable(session),
    (d) => d.destroy(),
    [session],
  )
  const wsEpoch = `${useObserved(wsDoc, () => wsDoc?.getEpoch() ?? 0)}:${useObserved(sessionSettled, () => sessionSettled?.getEpoch() ?? 0)}`
  const docEpoch = useObserved(docs, () => docs?.getEpoch() ?? 0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epochs are the change signals
  const model = useMemo(() => {
    const { input, derived } = deriveOutput(ws, out)
    return {
      meta: out.readMeta(),
      input,
      derived,
      view: reviewView(derived, input, memberId),
      canEdit: allowedActions(derived, input, memberId).edit,
      lock: contentLock(derived, input),
      since: lastReviewBy(derived, memberId),
      reviewer: {
        inReview: derived.phase === 'in_review',
        current: derived.assignment
          ? (ws.members.get(derived.assignment.assignee)?.name ?? derived.assignment.assignee)
          : null,
        currentId: derived.assignment?.assignee ?? null,
        ...reassignOptions(ws, input, derived, memberId),
      },
    }
  }, [ws, out, memberId, wsEpoch, docEpoch])
  return { undoManager, recorder, wsEpoch, docEpoch, model }
}

export type OutputModel = ReturnType<typeof useOutputModel>['model']
