import { useModel } from '../app/context.tsx'
import type { WorkspaceSession } from '../data/session.ts'
import { InboxButton } from '../inbox/Inbox.tsx'
import { useUi, type View } from '../ui/store.ts'
import { Avatar } from './Avatar.tsx'
import type { Peer } from './presence.ts'
import { SyncStatus } from './SyncStatus.tsx'

const NEW = '__new__'

/** A page of the main navigation that needs no argument, and its button (current when shown). */
function NavButton({ page, children }: { page: Exclude<View['name'], 'output'>; children: string }) {
  const current = useUi((s) => s.view.name === page)
  const show = useUi((s) => s.show)
  return (
    <button type="button" aria-current={current ? 'page' : undefined} onClick={() => show({ name: page })}>
      {children}
    </button>
  )
}

/** Workspace switcher, navigation, who else is here, and the sync status. */
export function Header({
  session,
  peers,
  onAddWorkspace,
}: {
  session: WorkspaceSession
  peers: readonly Peer[]
  onAddWorkspace: () => void
}) {
  const model = useModel()
  const view = useUi((s) => s.view)
  const show = useUi((s) => s.show)
  const setActive = useUi((s) => s.setActiveWorkspace)
  const here = new Map<string, Peer>()
  for (const p of peers) if (!here.has(p.user.memberId)) here.set(p.user.memberId, p)
  return (
    <header className="app-header">
      <span className="brand" aria-hidden="true">
        Signoff
      </span>
      <label className="visually-hidden" htmlFor="workspace-switcher">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        className="switcher"
        value={session.entry.id}
        onChange={(e) => {
          if (e.target.value === NEW) onAddWorkspace()
          else setActive(e.target.value)
        }}
      >
        {model.entries.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name || 'Untitled workspace'}
          </option>
        ))}
        <option value={NEW}>New or join workspace…</option>
      </select>
      <nav aria-label="Main" className="nav">
        <NavButton page="board">Board</NavButton>
        <InboxButton current={view.name === 'inbox'} onOpen={() => show({ name: 'inbox' })} />
        <NavButton page="insight">Insight</NavButton>
        <NavButton page="shipped">Shipped</NavButton>
        <NavButton page="activity">Activity</NavButton>
        <NavButton page="settings">Settings</NavButton>
      </nav>
      <span className="spacer" />
      {here.size > 0 && (
        <ul className="presence" aria-label="Also here">
          {[...here.values()].map((p) => (
            <li key={p.clientId}>
              <Avatar
                name={p.user.name}
                memberId={p.user.memberId}
                label={`${p.user.name}${p.viewing ? `, looking at ${session.workspace.summary(p.viewing)?.title ?? 'an output'}` : ', on the board'}`}
              />
            </li>
          ))}
        </ul>
      )}
      <SyncStatus session={session} />
    </header>
  )
}
