/**
 * The teammates of host.bench.ts's hosting figure, in a process of their own so that the host
 * process's memory is what hosting costs it. argv: the relay's URL, the room, then one token per
 * teammate. Each writes 50 lines; prints "converged" once every teammate holds every line, then
 * waits for its parent to end it.
 */
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const [url, room, ...tokens] = process.argv.slice(2)
if (!url || !room || tokens.length === 0) throw new Error('usage: hosting-teammates.ts URL ROOM TOKEN...')
const LINES = 50
// y-websocket's provider listens for the process's exit, one listener per teammate.
process.setMaxListeners(tokens.length + 10)
const members = tokens.map((token) => {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: { token },
    disableBc: true,
  })
  return { doc, provider }
})
for (const [i, m] of members.entries()) {
  const text = m.doc.getText('notes')
  for (let k = 0; k < LINES; k++) text.insert(text.length, `member ${i} line ${k}\n`)
}
const lines = (d: Y.Doc) => d.getText('notes').toString().split('\n').length - 1
const timer = setInterval(() => {
  if (members.every((m) => lines(m.doc) === LINES * members.length)) {
    clearInterval(timer)
    process.stdout.write('converged\n')
  }
}, 20)
