/** The board's dialogs: the Move… menu, publishing, the reason for an action, a new output. */
import { useCallback, useState } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { PublishDialog } from '../publish/PublishDialog.tsx'
import { useUi } from '../ui/store.ts'
import { checksFor } from './act.ts'
import { useBoardUi } from './board-store.ts'
import { MoveMenu } from './MoveMenu.tsx'
import { NewOutputDialog } from './NewOutputDialog.tsx'
import { ReasonDialog } from './ReasonDialog.tsx'
import type { useMoves } from './use-moves.ts'

export type Publishing = { outputId: string; destinationId?: string }

/** Which card's Move… menu is open and what is being published: the board opens both, they close here. */
export function useDialogState() {
  const [menuFor, setMenuFor] = useState<OutputSummary | null>(null)
  const [publishing, setPublishing] = useState<Publishing | null>(null)
  return { menuFor, setMenuFor, publishing, setPublishing }
}

export function BoardDialogs({
  session,
  dialogs,
  moves,
  refocus,
}: {
  session: WorkspaceSession
  dialogs: ReturnType<typeof useDialogState>
  moves: Pick<ReturnType<typeof useMoves>, 'asking' | 'setAsking' | 'move' | 'request'>
  refocus: (id: string) => void
}) {
  const { menuFor, setMenuFor, publishing, setPublishing } = dialogs
  const notify = useUi((s) => s.notify)
  const newOutput = useBoardUi((s) => s.newOutput)
  const closeNewOutput = useBoardUi((s) => s.closeNewOutput)
  const { asking, setAsking, move, request } = moves
  const loadChecks = useCallback(() => checksFor(session, menuFor?.id ?? ''), [session, menuFor])
  return (
    <>
      {menuFor && (
        <MoveMenu
          summary={menuFor}
          loadChecks={loadChecks}
          onClose={() => {
            refocus(menuFor.id)
            setMenuFor(null)
          }}
          onPublish={() => {
            const s = menuFor
            setMenuFor(null)
            setPublishing({ outputId: s.id })
          }}
          onChoose={(action) => {
            const s = menuFor
            refocus(s.id)
            setMenuFor(null)
            request(s, action)
          }}
        />
      )}
      {publishing && (
        <PublishDialog
          session={session}
          outputId={publishing.outputId}
          {...(publishing.destinationId ? { destinationId: publishing.destinationId } : {})}
          onClose={() => {
            refocus(publishing.outputId)
            setPublishing(null)
          }}
        />
      )}
      {asking && (
        <ReasonDialog
          action={asking.action}
          title={asking.summary.title}
          onCancel={() => {
            refocus(asking.summary.id)
            setAsking(null)
          }}
          onConfirm={(reason) => {
            const a = asking
            refocus(a.summary.id)
            setAsking(null)
            void move(a.summary, a.action, reason)
          }}
        />
      )}
      {newOutput && (
        <NewOutputDialog
          session={session}
          initial={newOutput}
          onClose={closeNewOutput}
          onCreated={(id, title) => {
            // Opened by Ctrl+N, the dialog gives the focus back to nothing: the new card takes it.
            refocus(id)
            closeNewOutput()
            notify('info', `Created the draft “${title}”.`)
          }}
        />
      )}
    </>
  )
}
