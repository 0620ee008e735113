import { Suspense, useEffect, useState } from 'react'
import { Board } from '../board/Board.tsx'
import { useBoardUi } from '../board/board-store.ts'
import { checkDropSize, readDroppedBytes } from '../board/file-drop.ts'
import { Header } from '../chrome/Header.tsx'
import { Notices } from '../chrome/Notices.tsx'
import { usePeers, usePublishPresence } from '../chrome/presence.ts'
import type { AppModel } from '../data/app-model.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useHostHealth } from '../host/health.ts'
import { getHost } from '../host.ts'
import { Inbox } from '../inbox/Inbox.tsx'
import { IntakeSync } from '../intake/IntakeSync.tsx'
import { FirstRun } from '../onboarding/FirstRun.tsx'
import { usePublishing } from '../publish/use-publishing.ts'
import { useRouting } from '../routing/runner.ts'
import { useObservedValue } from '../state/observable.ts'
import { LazyWorkspaceTrace } from '../trace/lazy.ts'
import { useUi } from '../ui/store.ts'
import { ModelContext, useActiveSession, useModel } from './context.tsx'
import { useOpenedFiles, useOpenRequests } from './open-requests.ts'
import { LazyInsight, LazyOutputView, LazySettings } from './views.tsx'

/**
 * The app's frame: first run until there is a profile and a workspace, then the active
 * workspace's board, an output, or settings. Screens live in their own folders.
 */
export function Root({ model }: { model: AppModel }) {
  return (
    <ModelContext.Provider value={model}>
      <Frame />
      <Notices />
      <IntakeSync model={model} />
    </ModelContext.Provider>
  )
}

function Frame() {
  const model = useModel()
  const active = useUi((s) => s.activeWorkspaceId)
  const setActive = useUi((s) => s.setActiveWorkspace)
  const [adding, setAdding] = useState(false)
  useEffect(() => {
    if (!active || !model.entries.some((e) => e.id === active)) setActive(model.entries[0]?.id ?? null)
  }, [active, model.entries, setActive])
  // A new workspace was just created or joined: leave the "add" screen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the active workspace changes
  useEffect(() => setAdding(false), [active])
  // An invite link was opened: show the join form, filled in.
  const joinLink = useOpenRequests((s) => s.join)
  useEffect(() => {
    if (joinLink && model.profile && model.entries.length > 0) setAdding(true)
  }, [joinLink, model])
  const session = useActiveSession()
  if (!model.profile || model.entries.length === 0 || adding)
    return <FirstRun {...(adding ? { onCancel: () => setAdding(false) } : {})} />
  if (!session) return <p className="loading">Opening workspace…</p>
  return <Workspace key={session.entry.id} session={session} onAddWorkspace={() => setAdding(true)} />
}

function Workspace({ session, onAddWorkspace }: { session: WorkspaceSession; onAddWorkspace: () => void }) {
  const model = useModel()
  const view = useUi((s) => s.view)
  const show = useUi((s) => s.show)
  const notify = useUi((s) => s.notify)
  const name = useObservedValue(session, () => session.workspace.name)
  const loadedName = useObservedValue(session, () => (session.workspace.id ? session.workspace.name : null))
  const error = useObservedValue(session, () => session.status.error ?? null)
  const isMember = useObservedValue(session, () => session.workspace.members.has(session.memberId))
  const [ready, setReady] = useState(false)
  const hostHealth = useHostHealth()

  useEffect(() => {
    let live = true
    void session.ready.then(() => live && setReady(true))
    return () => {
      live = false
    }
  }, [session])

  // The switcher shows the name the workspace has now (a joined one starts as "Joining…").
  useEffect(() => {
    if (loadedName) model.rename(session.entry.id, loadedName)
  }, [model, session, loadedName])

  // Database or relay trouble: say it once, keep working locally; once it is over, take it back.
  useEffect(() => {
    if (error) notify('error', error, 'session-status')
    else useUi.getState().clearNotice('session-status')
  }, [error, notify])

  usePublishPresence(session, model.profile?.name ?? '', view.name === 'output' ? view.outputId : null)
  const peers = usePeers(session)
  usePublishing(session)
  // Routing runs for the open workspace whatever is on screen (SLA handovers, notifications).
  useRouting(session)

  // Menu commands (desktop menu, or the same shortcuts in the web shell).
  useEffect(() => {
    const host = getHost()
    const onCommand = (command: string) => {
      if (command === 'new-output') {
        show({ name: 'board' })
        useBoardUi.getState().openNewOutput()
      } else if (command === 'settings') show({ name: 'settings' })
      else if (command === 'find') {
        show({ name: 'board' })
        useBoardUi.getState().requestFind()
      }
    }
    const offMenu = host?.onMenuCommand(onCommand)
    // Alt+N everywhere (browsers keep Ctrl+N for themselves); Ctrl+N too when there is no host.
    const onKey = (e: KeyboardEvent) => {
      const n = e.key === 'n' || e.key === 'N'
      if (n && ((e.altKey && !e.ctrlKey && !e.metaKey) || (!host && (e.ctrlKey || e.metaKey)))) {
        e.preventDefault()
        onCommand('new-output')
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      offMenu?.()
      window.removeEventListener('keydown', onKey)
    }
  }, [show])

  useFileDrop(notify, show)
  useOpenedFiles(notify, show)

  if (!ready) return <p className="loading">Opening {name}…</p>
  return (
    <div className="app">
      <Header session={session} peers={peers} onAddWorkspace={onAddWorkspace} />
      {error && (
        <p className="banner banner-error" role="alert">
          {error} Your work is kept on this device.
        </p>
      )}
      {hostHealth.lost && (
        <p className="banner banner-error" role="alert">
          {hostHealth.message}
        </p>
      )}
      {!isMember && (
        <p className="banner" role="status">
          Waiting for the workspace to arrive from the relay… Until it does you cannot act on outputs.
        </p>
      )}
      <Suspense fallback={<p className="loading">Loading…</p>}>
        {view.name === 'board' && <Board session={session} peers={peers} />}
        {view.name === 'output' && (
          <LazyOutputView key={view.outputId} session={session} outputId={view.outputId} />
        )}
        {view.name === 'settings' && <LazySettings session={session} />}
        {(view.name === 'shipped' || view.name === 'activity') && (
          <LazyWorkspaceTrace session={session} view={view.name} />
        )}
        {view.name === 'insight' && <LazyInsight session={session} />}
        {view.name === 'inbox' && <Inbox />}
      </Suspense>
    </div>
  )
}

/**
 * A .md/.txt/.html/.json file dropped anywhere on the window opens "New output" with its text and
 * what its front matter says (title, type, source, tags, due), read as the inbox folder reads it.
 */
function useFileDrop(
  notify: (kind: 'error' | 'info', text: string) => void,
  show: (view: { name: 'board' }) => void,
) {
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
      document.body.classList.add('file-over')
    }
    const leave = (e: DragEvent) => {
      if (!e.relatedTarget) document.body.classList.remove('file-over')
    }
    const drop = async (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      document.body.classList.remove('file-over')
      const files = [...(e.dataTransfer?.files ?? [])]
      const file = files[0]
      if (!file) return
      if (files.length > 1) notify('info', 'Drop one file at a time; only the first was read.')
      // Refuse on the size before reading a huge file into memory.
      const sizeProblem = checkDropSize(file.name, file.size)
      if (sizeProblem) {
        notify('error', sizeProblem)
        return
      }
      try {
        const result = readDroppedBytes(file.name, new Uint8Array(await file.arrayBuffer()))
        if (!result.ok) {
          notify('error', result.reason)
          return
        }
        show({ name: 'board' })
        useBoardUi.getState().openNewOutput({
          title: result.title,
          content: result.content,
          ...(result.type ? { type: result.type } : {}),
          ...(result.source.model ? { model: result.source.model } : {}),
          tool: result.source.tool ?? `file: ${file.name}`,
          ...(result.source.prompt ? { prompt: result.source.prompt } : {}),
          tags: result.tags,
          ...(result.due ? { due: result.due } : {}),
        })
      } catch (error) {
        notify(
          'error',
          `Could not read "${file.name}": ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [notify, show])
}
