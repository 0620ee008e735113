import { spawnSync } from 'node:child_process'

/** Run a command, streaming its output; exit with its code when it fails. */
export function run(command, args, options = {}) {
  console.log(`\n> ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false, ...options })
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}`)
    process.exit(1)
  }
  if (result.status !== 0) process.exit(result.status ?? 1)
}

export const bin = (name) => `node_modules/.bin/${name}`
