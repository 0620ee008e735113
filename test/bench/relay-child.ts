import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
/**
 * The child side of relay-load.ts's forkServer: sends {port} once listening, answers 'token' with
 * a write token, 'stats' with what `stats` returns, 'mem' with process.memoryUsage() after forced
 * GC, and 'stop' by stopping the server and exiting.
 */
export interface ChildServer {
  port: number
  token(): Promise<string> | string
  stats(): unknown
  stop(): Promise<void>
}

const gc = (globalThis as { gc?: () => void }).gc

export function serveParent(server: ChildServer): void {
  let profiler: Session | undefined
  process.on('message', async (msg: string) => {
    if (msg === 'token') process.send!({ token: await server.token() })
    if (msg === 'stats') process.send!(server.stats())
    // A CPU profile of one stretch of the run (relay-cluster.bench.ts, BENCH_CPU_PROF_RUN).
    if (msg === 'prof-start') {
      profiler ??= new Session()
      profiler.connect()
      await profiler.post('Profiler.enable')
      await profiler.post('Profiler.start')
      process.send!({ ok: true })
    }
    if (typeof msg === 'string' && msg.startsWith('prof-stop:')) {
      const { profile } = (await profiler!.post('Profiler.stop')) as { profile: object }
      profiler!.disconnect()
      writeFileSync(msg.slice('prof-stop:'.length), JSON.stringify(profile))
      process.send!({ ok: true })
    }
    if (msg === 'mem') {
      await new Promise((r) => setTimeout(r, 100))
      for (let i = 0; i < 4; i++) gc?.()
      process.send!({ mem: process.memoryUsage() })
    }
    if (msg === 'stop') {
      await server.stop()
      process.exit(0)
    }
  })
  process.send!({ port: server.port })
}

/** Runs `main`, and exits with its error printed if it fails. */
export function runChild(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
