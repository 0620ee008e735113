import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The desktop app embeds the relay through sync-server/index.ts; cluster mode's drivers (pg,
 * ioredis) must not be reachable from it by a static import, so the app's bundle never holds them.
 * They are loaded with `await import()` in cluster mode only.
 */
function staticImports(file: string, seen = new Set<string>(), packages = new Set<string>()) {
  if (seen.has(file)) return packages
  seen.add(file)
  const src = readFileSync(file, 'utf8')
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
    if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue
    const spec = m[1]!
    if (spec.startsWith('.')) staticImports(resolve(dirname(file), spec), seen, packages)
    else packages.add(spec.split('/')[0]!)
  }
  return packages
}

const root = resolve(import.meta.dirname, '../../..')

describe('cluster drivers stay out of the embedded relay', () => {
  it('sync-server/index.ts reaches neither pg nor ioredis by a static import', () => {
    const pkgs = staticImports(resolve(root, 'sync-server/index.ts'))
    expect(pkgs.has('yjs')).toBe(true) // the walk does follow the relay's imports
    expect(pkgs.has('pg')).toBe(false)
    expect(pkgs.has('ioredis')).toBe(false)
  })

  it('the cluster node loads them only dynamically', () => {
    const pkgs = staticImports(resolve(root, 'sync-server/cluster/node.ts'))
    expect(pkgs.has('pg')).toBe(false)
    expect(pkgs.has('ioredis')).toBe(false)
    // The cluster backend, which node.ts builds on, is where they are loaded.
    expect(readFileSync(resolve(root, 'sync-server/cluster/backend.ts'), 'utf8')).toContain(
      "await import('pg')",
    )
    expect(readFileSync(resolve(root, 'sync-server/cluster/fanout.ts'), 'utf8')).toContain(
      "await import('ioredis')",
    )
  })
})
