import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The browser keeps a page's data (IndexedDB, localStorage) per origin, and the origin includes
 * the port: a new random port for `npm run web` each run looked like all data was gone. So the
 * port belongs to the data folder: chosen once (free), written to `<dataDir>/web-port.json`, and
 * used again on every later run with that folder.
 */
const FILE = 'web-port.json'

export function rememberedPort(dataDir: string): number | null {
  try {
    const { port } = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as { port?: unknown }
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : null
  } catch {
    return null
  }
}

export function rememberPort(dataDir: string, port: number): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify({ port })}\n`)
}
