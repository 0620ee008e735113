import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isPlainObject, readStateFileSync } from './state-file.ts'

/**
 * The browser keeps a page's data (IndexedDB, localStorage) per origin, and the origin includes
 * the port: a new random port for `npm run web` each run looked like all data was gone. So the
 * port belongs to the data folder: chosen once (free), written to `<dataDir>/web-port.json`, and
 * used again on every later run with that folder.
 */
const FILE = 'web-port.json'

const isPort = (port: unknown): port is number =>
  typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535

/** The port this data folder's app lives on; null on a first start or when the file is unreadable (kept aside). */
export function rememberedPort(dataDir: string, log?: (line: string) => void): number | null {
  const raw = readStateFileSync(join(dataDir, FILE), {
    valid: (x) => isPlainObject(x) && isPort(x.port),
    log,
  })
  return raw ? (raw as { port: number }).port : null
}

export function rememberPort(dataDir: string, port: number): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify({ port })}\n`)
}
