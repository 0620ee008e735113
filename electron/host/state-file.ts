import { readFileSync, renameSync } from 'node:fs'

/**
 * The host keeps small pieces of state in JSON files in its data folder (which workspaces it
 * holds, where intake outputs stand, the web build's port). A file that is missing is a first
 * start. One that cannot be read as what it should hold (cut short by a full disk, edited by hand,
 * garbage) is not silently dropped and then overwritten by the next save: it is set aside as
 * `<file>.unreadable-<time>`, so nothing in it is lost, and the host's log says where. The caller
 * then starts from nothing, as on a first start. The files are small and read once at start, so
 * synchronously.
 */
export interface StateFileCheck {
  /** Whether the parsed JSON has the shape the file should hold. */
  valid: (raw: unknown) => boolean
  log?: ((line: string) => void) | undefined
}

export function readStateFileSync(file: string, check: StateFileCheck): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    check.log?.(`Could not read ${file}: ${(error as Error).message}. Starting without it.`)
    return undefined
  }
  const raw = parsed(text)
  if (raw !== NOT_JSON && check.valid(raw)) return raw
  const aside = `${file}.unreadable-${Date.now()}`
  try {
    renameSync(file, aside)
    check.log?.(unreadable(file, aside))
  } catch (error) {
    check.log?.(`${file} is unreadable and could not be set aside: ${(error as Error).message}`)
  }
  return undefined
}

const NOT_JSON = Symbol('not JSON')

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

const unreadable = (file: string, aside: string) =>
  `${file} did not hold what it should (cut short, or edited by hand): it is kept as ${aside} and Signoff starts without it.`

/** A JSON object (not null, not a list). */
export const isPlainObject = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw)
