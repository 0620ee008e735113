import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/app.css'
import { listenForOpenRequests } from './app/open-requests.ts'
import { Root } from './app/Root.tsx'
import { AppModel } from './data/app-model.ts'
import { getHost, getHostDocChannel } from './host.ts'
import { useUi } from './ui/store.ts'

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element.')
const model = new AppModel()
const host = getHost()
model.hostChannel = getHostDocChannel()
if (host) model.hostPerform = (input) => host.perform(input)
if (host)
  model.keySource = (workspaceId, memberId, options) => host.deviceKey({ workspaceId, memberId, ...options })
if (host)
  model.hostLink = {
    register: (entry) =>
      host
        .registerWorkspace({
          workspaceId: entry.id,
          memberId: entry.memberId,
          ...(entry.relayUrl && entry.token ? { relayUrl: entry.relayUrl, token: entry.token } : {}),
        })
        .then((r) => r.held),
    forget: (workspaceId, memberId) => host.forgetWorkspace({ workspaceId, memberId }).then(() => {}),
    workOffline: (workspaceId, memberId, offline) =>
      host.setWorkOffline({ workspaceId, memberId, offline }).then((r) => r.offline),
  }
// Leaves this window could not tell the host at the time.
if (host) void model.tellPendingLeaves()
// What the host did on its own (a scheduled publish, window or not) is told in the app too.
host?.onHostEvent((event) => {
  if (event.name === 'notice') useUi.getState().notify(event.payload.kind, event.payload.text)
})
// Windows are clients of the host: what this window's storage holds that the host's log does not
// (an installation from before the host kept workspaces) is pushed into it, and said once.
void model.copyIntoHost().then(({ imported, incomplete }) => {
  if (imported > 0)
    useUi
      .getState()
      .notify(
        'info',
        `Imported ${imported} workspace${imported === 1 ? '' : 's'} from this window's storage into the app's log.`,
      )
  if (incomplete.length > 0)
    useUi
      .getState()
      .notify(
        'error',
        `Not everything of ${incomplete.join(', ')} reached the app's log yet; it is kept in this window and sent again at the next start.`,
      )
})
// Invite links and files the OS asks Signoff to open (desktop only).
listenForOpenRequests(host)
// Before the window closes, let IndexedDB commit every pending local edit.
getHost()?.onBeforeQuit(() => model.flush())
// The UI benchmark's seeding hook, only when the benchmark asks for it.
if (localStorage.getItem('signoff.bench') === '1')
  void import('./app/bench-hook.ts').then((m) =>
    m.installBenchHook(model, () => useUi.getState().activeWorkspaceId),
  )
createRoot(root).render(
  <StrictMode>
    <Root model={model} />
  </StrictMode>,
)
