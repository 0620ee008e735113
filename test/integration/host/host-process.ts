// A host process with no window, for the crash tests: it holds one workspace and prints its
// intake API address and token as one JSON line. Killed with SIGKILL by the test.
import { createHost } from '../../../electron/host/index.ts'
import { parseHostInput } from '../../../shared/host/api.ts'

const env = (name: string): string => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set`)
  return v
}
const host = createHost({
  shell: 'web',
  version: 'test',
  dataDir: env('HOST_DATA'),
  intakePort: 0,
  log: (line) => console.error(line),
})
await host.registerWorkspace(
  parseHostInput('registerWorkspace', {
    workspaceId: env('HOST_WORKSPACE'),
    memberId: env('HOST_MEMBER'),
    relayUrl: env('HOST_RELAY'),
    token: env('HOST_TOKEN'),
  }),
)
if (process.env.HOST_INBOX)
  await host.setInbox({ workspaceId: env('HOST_WORKSPACE'), path: process.env.HOST_INBOX })
const info = await host.intakeInfo(undefined)
console.log(JSON.stringify({ url: info.url, token: info.token }))
