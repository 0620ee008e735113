// The intake CLI and MCP server as two self-contained Node scripts (every dependency bundled), so
// an installed app can offer them: electron-builder copies out/cli/ into the app's resources
// (outside app.asar, which only Electron can read). They need Node 22 on the machine, nothing else.
//
//   node <resources>/cli/signoff.mjs submit draft.md --type blog-article
//   node <resources>/cli/signoff-mcp.mjs          (an MCP server over stdio)
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CLI_ENTRIES = {
  signoff: 'electron/host/intake/cli.ts',
  'signoff-mcp': 'electron/host/intake/mcp.ts',
}

/** Bundle each entry on its own (each runs its own `main` when it is the script Node started). */
export async function buildCli(outDir = join(root, 'out/cli')) {
  for (const [name, entry] of Object.entries(CLI_ENTRIES)) {
    await build({
      root,
      configFile: false,
      logLevel: 'warn',
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: join(root, entry),
        outDir,
        emptyOutDir: false,
        target: 'node22',
        minify: false,
        sourcemap: false,
        rollupOptions: {
          output: { format: 'es', entryFileNames: `${name}.mjs`, codeSplitting: false },
        },
      },
    })
  }
  return outDir
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli()
