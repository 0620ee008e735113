// A worker for thread-relay.test.ts: makes a few mark-compacts' worth of garbage, then stays a
// moment, so that a memory reducer, where the worker's isolate has one, starts and says so.
let keep: { a: number; b: string }[] = []
for (let round = 0; round < 60; round++) {
  for (let i = 0; i < 20000; i++) keep.push({ a: i, b: `x${i}` })
  if (keep.length > 300000) keep = []
}
keep = []
setTimeout(() => {}, 1500)
