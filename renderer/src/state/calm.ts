import { Observable } from './observable.ts'

/**
 * A status text that does not flicker: a change to a passing state ("Saving…", "1 change
 * waiting") is shown only once it has lasted `ms`, so one keystroke's round trip to the log and
 * the relay (a few milliseconds) leaves "Saved" and "Synced" on screen, and renders nothing. A
 * change to a settled state is shown at once, and so is a passing state that lasts.
 */
export class CalmText extends Observable {
  shown: string
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly read: () => string
  private readonly passing: (text: string) => boolean
  private readonly ms: number

  constructor(read: () => string, passing: (text: string) => boolean, ms = 600) {
    super()
    this.read = read
    this.passing = passing
    this.ms = ms
    this.shown = read()
  }

  /** The source changed: show what it says now, or wait to see whether it passes. */
  update = (): void => {
    const now = this.read()
    if (now === this.shown) {
      this.stopTimer()
      return
    }
    if (!this.passing(now) || this.passing(this.shown)) {
      this.show(now)
      return
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      this.show(this.read())
    }, this.ms)
  }

  private show(text: string): void {
    this.stopTimer()
    if (text === this.shown) return
    this.shown = text
    this.emit()
  }

  private stopTimer(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  destroy(): void {
    this.stopTimer()
  }
}
