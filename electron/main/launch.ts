// What the OS asks Signoff to open, as plain functions (no `electron` import): `signoff://` links
// (an invite: signoff://join?relay=…&token=…) and .md/.txt/.html files, from the command line of
// a cold start or a second instance (Windows, Linux) or from macOS's open-url/open-file events.
import { extname, isAbsolute, resolve } from 'node:path'
import { APP_SCHEME } from './policy.ts'

export const OPENABLE_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.txt', '.html', '.htm']
/** Larger files are refused before they are read (the new-output form checks again). */
export const MAX_OPEN_FILE_BYTES = 10 * 1024 * 1024

export interface LaunchTargets {
  links: string[]
  files: string[]
}

const isLink = (arg: string) => arg.toLowerCase().startsWith(`${APP_SCHEME}://`)

/**
 * The links and files in a command line. Flags (`--…`, which Chromium adds to a second instance)
 * and anything that is neither a signoff:// link nor a file with an openable extension (the
 * executable, the app folder in development) are ignored. Relative paths are resolved against the
 * directory the command ran in.
 */
export function launchTargets(argv: readonly string[], cwd: string): LaunchTargets {
  const links: string[] = []
  const files: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-')) continue
    if (isLink(arg)) links.push(arg)
    else if (OPENABLE_EXTENSIONS.includes(extname(arg).toLowerCase()))
      files.push(isAbsolute(arg) ? arg : resolve(cwd, arg))
  }
  return { links, files }
}

/** The relay and token of an invite link, or undefined when the link is not a well-formed invite. */
export function joinRequestFromLink(link: string): { relay: string; token: string } | undefined {
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return undefined
  }
  // Custom schemes parse `signoff://join?…` with host "join"; `signoff:join?…` has it as the path.
  const action = url.host || url.pathname.replace(/^\/+/, '')
  if (url.protocol !== `${APP_SCHEME}:` || action.replace(/\/+$/, '') !== 'join') return undefined
  const relay = url.searchParams.get('relay') ?? ''
  const token = url.searchParams.get('token') ?? ''
  if (relay.length > 2048 || token.length > 512 || !/^[A-Za-z0-9._~-]*$/.test(token)) return undefined
  try {
    const relayUrl = new URL(relay)
    if (!['ws:', 'wss:', 'http:', 'https:'].includes(relayUrl.protocol) || !relayUrl.hostname)
      return undefined
  } catch {
    return undefined
  }
  return { relay, token }
}
