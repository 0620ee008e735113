/**
 * Waiting for something to pause, at the cost of one timer per pause rather than one per event.
 * A keystroke pokes several of these (the output view's derived state, the note of an edit, the
 * review model's session changes); clearing and setting a timer at each was six timer calls a
 * key. `poke()` only moves the deadline: the armed timer, when it fires before it, waits out the
 * rest.
 */
export interface Clock {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
  now(): number
}

export const realClock: Clock = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
}

export class Settle {
  private readonly fn: () => void
  private readonly ms: number
  private readonly clock: Clock
  private due = 0
  private handle: unknown = undefined

  /** `fn` runs once `ms` have passed since the last `poke()`. */
  constructor(fn: () => void, ms: number, clock: Clock = realClock) {
    this.fn = fn
    this.ms = ms
    this.clock = clock
  }

  /** Poked and not yet run. */
  get pending(): boolean {
    return this.handle !== undefined
  }

  poke(): void {
    this.due = this.clock.now() + this.ms
    if (this.handle === undefined) this.handle = this.clock.set(this.check, this.ms)
  }

  /** Forget the wait (what it was for happened some other way). */
  cancel(): void {
    if (this.handle !== undefined) this.clock.clear(this.handle)
    this.handle = undefined
  }

  private readonly check = (): void => {
    const left = this.due - this.clock.now()
    if (left > 0) {
      this.handle = this.clock.set(this.check, left)
      return
    }
    this.handle = undefined
    this.fn()
  }
}
