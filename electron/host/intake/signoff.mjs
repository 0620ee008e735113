#!/usr/bin/env node
// The `signoff` command (package.json "bin"): runs the TypeScript CLI with Node's type stripping.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const target = process.argv[2] === 'mcp' ? './mcp.ts' : './cli.ts'
const args = process.argv[2] === 'mcp' ? process.argv.slice(3) : process.argv.slice(2)
const result = spawnSync(
  process.execPath,
  [
    '--experimental-strip-types',
    '--disable-warning=ExperimentalWarning',
    fileURLToPath(new URL(target, import.meta.url)),
    ...args,
  ],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
