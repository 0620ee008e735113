/**
 * A document's changes, handed on once the frame that shows them is drawn, merged into one update:
 * a keystroke's own task then only edits and paints, and the copies that follow (IndexedDB, the
 * host) are written once per frame however fast the keys come. Changes of another origin are
 * handed on first, each batch keeps one origin.
 */
import * as Y from 'yjs'

/** How long a change may wait when no frame comes (a hidden window draws none). */
const NO_FRAME_MS = 50

export class UpdateBatch {
  private readonly deliver: (update: Uint8Array, origin: unknown) => void
  private updates: Uint8Array[] = []
  private origin: unknown = undefined
  private scheduled = false

  constructor(deliver: (update: Uint8Array, origin: unknown) => void) {
    this.deliver = deliver
  }

  /** Changes waiting for the next frame. */
  get pending(): boolean {
    return this.updates.length > 0
  }

  readonly add = (update: Uint8Array, origin: unknown): void => {
    if (this.updates.length > 0 && origin !== this.origin) this.flush()
    this.updates.push(update)
    this.origin = origin
    if (this.scheduled) return
    this.scheduled = true
    afterNextFrame(this.flush)
  }

  /** Hand on what waits now (before a flush to disk, a close, or another origin's change). */
  readonly flush = (): void => {
    this.scheduled = false
    if (this.updates.length === 0) return
    const updates = this.updates
    this.updates = []
    this.deliver(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), this.origin)
  }
}

/** What waits for the next frame, from every batch: one frame request and one task for all. */
let waiting: (() => void)[] = []
/** The current wait; a stale frame or fallback of an earlier one runs nothing. */
let round = 0

/**
 * Run `fn` once, in a task after the next frame is drawn, or after NO_FRAME_MS without one. All
 * that wait share the frame: a keystroke queues its change for IndexedDB and for the host, and
 * two frame requests and four timers a key became one and two.
 */
function afterNextFrame(fn: () => void): void {
  waiting.push(fn)
  if (waiting.length > 1) return
  const mine = ++round
  const run = () => {
    if (round !== mine) return
    round++
    clearTimeout(fallback)
    const due = waiting
    waiting = []
    for (const f of due) {
      try {
        f()
      } catch (err) {
        // One batch's failure is reported and does not keep the others waiting.
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }
  const fallback = setTimeout(run, NO_FRAME_MS)
  // Read from globalThis: this module also runs in Node's tests, which draw no frames.
  const frame = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame
  if (typeof frame === 'function') frame.call(globalThis, () => setTimeout(run, 0))
}
