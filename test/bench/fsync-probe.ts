/**
 * A child process of relay.bench.ts that stands in for the durable relay in a latency run: on
 * 'sync' it does one probe sync (sync-probe.ts) and answers {ms}. In the relay's place in the same
 * rotation of servers, it measures what one fdatasync takes on this machine under the run's own
 * load and at its pace: the disk's half of issue 13's latency target.
 */
import { openSyncProbe } from './sync-probe.ts'

const probe = openSyncProbe()
process.on('message', (msg: string) => {
  if (msg === 'sync') process.send!({ ms: probe.sync() })
  if (msg === 'stop') {
    probe.close()
    process.exit(0)
  }
})
process.send!({ ready: true })
