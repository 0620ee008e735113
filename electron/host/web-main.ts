// The `npm run web` server: the built renderer and the host API on a random loopback port with a
// fresh secret. It prints exactly one line, the URL to open (secret included), and runs until
// Ctrl-C. Run it through scripts/web.mjs, which builds the renderer first.
import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { startWebServer } from './bridge.ts'

const root = resolve(import.meta.dirname, '../..')
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }
const rendererDir = resolve(process.env.SIGNOFF_RENDERER_DIR ?? resolve(root, 'out/renderer'))
const dataDir = resolve(process.env.SIGNOFF_DATA_DIR ?? resolve(root, '.signoff-data/web'))
const port = Number(process.env.SIGNOFF_WEB_PORT ?? 0)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SIGNOFF_WEB_PORT must be a port number; got ${process.env.SIGNOFF_WEB_PORT}.`)
  process.exit(1)
}
mkdirSync(dataDir, { recursive: true })

const server = await startWebServer({ port, rendererDir, dataDir, version })
console.log(`Signoff is running; open ${server.url}`)

function stop(): void {
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
