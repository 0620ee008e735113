// The `npm run web` server: the built renderer and the host API on a loopback port kept per data
// folder (see web-port.ts), with a fresh secret. It prints exactly one line, the URL to open (secret included), and runs until
// Ctrl-C. Run it through scripts/web.mjs, which builds the renderer first.
import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { listenProblem } from '../../shared/listen-problem.ts'
import { startWebServer, type WebServer } from './bridge.ts'
import { rememberedPort, rememberPort } from './web-port.ts'

const root = resolve(import.meta.dirname, '../..')
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }
const rendererDir = resolve(process.env.SIGNOFF_RENDERER_DIR ?? resolve(root, 'out/renderer'))
const dataDir = resolve(process.env.SIGNOFF_DATA_DIR ?? resolve(root, '.signoff-data/web'))
const fixed = process.env.SIGNOFF_WEB_PORT !== undefined
const port = Number(process.env.SIGNOFF_WEB_PORT ?? 0)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SIGNOFF_WEB_PORT must be a port number; got ${process.env.SIGNOFF_WEB_PORT}.`)
  process.exit(1)
}
try {
  mkdirSync(dataDir, { recursive: true })
} catch (error) {
  console.error(
    `Signoff cannot use ${dataDir} as its data folder (${(error as Error).message}): set SIGNOFF_DATA_DIR to a folder you can write.`,
  )
  process.exit(1)
}

// The page's data lives in the browser per address, so this data folder keeps its port.
const remembered = fixed
  ? null
  : rememberedPort(dataDir, (line) =>
      console.error(
        `${line} This run picks a new port: the browser keeps its data per address, so what you did at the old one is not shown here.`,
      ),
    )
let server: WebServer
try {
  server = await startWebServer({ port: fixed ? port : (remembered ?? 0), rendererDir, dataDir, version })
} catch (error) {
  const problem = fixed ? listenProblem(error, port, 'SIGNOFF_WEB_PORT') : undefined
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
  if (remembered === null || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
  console.error(
    `Port ${remembered}, where this data folder's app lives, is taken, so Signoff runs on another port for now. The browser keeps its data per address: what you did at http://127.0.0.1:${remembered} is not shown at this one. Free port ${remembered} and start again to see it.`,
  )
  server = await startWebServer({ port: 0, rendererDir, dataDir, version })
}
if (!fixed && remembered === null) rememberPort(dataDir, server.port)
console.log(`Signoff is running; open ${server.url}`)

function stop(): void {
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
