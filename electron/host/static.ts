import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticFile {
  body: Buffer
  contentType: string
}

/**
 * The file under `rootDir` a URL path names, or undefined. `/` is `index.html`. Paths that are
 * malformed, contain `..` segments or NUL, or resolve outside the root are refused, so neither
 * the web bridge nor the desktop's app protocol can be made to read other files.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/').filter((s) => s.length > 0)
  if (segments.some((s) => s === '..' || s === '.')) return undefined
  const root = resolve(rootDir)
  const full = resolve(join(root, ...(segments.length > 0 ? segments : ['index.html'])))
  return full.startsWith(root + sep) ? full : undefined
}

export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | undefined> {
  const named = resolveStaticPath(rootDir, urlPath)
  if (!named) return undefined
  try {
    // A symbolic link inside the folder must not lead out of it.
    const [path, root] = await Promise.all([realpath(named), realpath(rootDir)])
    if (!path.startsWith(root + sep)) return undefined
    if (!(await stat(path)).isFile()) return undefined
    return {
      body: await readFile(path),
      contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    }
  } catch {
    return undefined
  }
}
