import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

// Three builds: main (ESM, Node), preload (one CommonJS file so the renderer can run with
// `sandbox: true`), renderer (browser). None of them needs the Electron binary to build.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundle every dependency into main too, so the packaged app.asar needs no node_modules at
      // all (test/integration/electron/package.test.ts checks the asar's file list and size).
      externalizeDeps: false,
      // relay-thread: the hosted relay's worker thread (sync-server/thread-relay.ts).
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'relay-thread': resolve('sync-server/relay-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only `electron`, `events`, `timers` and `url`: bundle every
      // dependency into it (electron-vite still leaves `electron` external).
      // test/unit/electron/preload-sandbox.test.ts loads this build under an emulated sandbox.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified; the board must parse fast with 10,000 outputs.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react()],
  },
})
