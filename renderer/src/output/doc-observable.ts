import type * as Y from 'yjs'
import { Observable } from '../state/observable.ts'
import { Settle } from '../state/settle.ts'

/** How long typing must pause before the view re-derives from the content. */
export const TYPING_SETTLE_MS = 250

/**
 * Any change to one Y.Doc as an Observable, so React can read derived values with useObserved.
 * Changes to `typed` alone (keystrokes, local or remote) are announced once typing pauses: the
 * editor shows them at once by itself, and deriving the review state (content hash, pre-checks on
 * 50 KB) and resolving two hundred comment anchors per keystroke would cost the typing its frames.
 * Every other change (a comment, a decision, the trail) is announced at once and takes any
 * pending text change with it.
 */
export class DocObservable extends Observable {
  private readonly doc: Y.Doc
  /** The one shared type whose changes are announced once typing pauses (compared by identity). */
  private readonly typed: object | undefined
  private readonly settle = new Settle(() => this.flush(), TYPING_SETTLE_MS)

  constructor(doc: Y.Doc, typed?: object) {
    super()
    this.doc = doc
    this.typed = typed
    doc.on('afterTransaction', this.onTransaction)
  }

  private onTransaction = (tr: Y.Transaction) => {
    if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return
    const onlyTyped = this.typed !== undefined && [...tr.changed.keys()].every((t) => t === this.typed)
    if (onlyTyped && tr.changed.size > 0) {
      this.settle.poke()
      return
    }
    this.flush()
  }

  private flush(): void {
    this.settle.cancel()
    this.emit()
  }

  destroy(): void {
    this.settle.cancel()
    this.doc.off('afterTransaction', this.onTransaction)
  }
}

/**
 * Another observable's changes, announced once they pause: the session's epoch moves with every
 * sync status change (each keystroke's update is pending, then acknowledged), which says nothing
 * about the review state; the workspace document itself is observed directly and at once.
 */
export class SettledObservable extends Observable {
  private readonly off: () => void
  private readonly settle: Settle

  constructor(source: Observable, ms = TYPING_SETTLE_MS) {
    super()
    this.settle = new Settle(() => this.emit(), ms)
    this.off = source.subscribe(() => this.settle.poke())
  }

  destroy(): void {
    this.settle.cancel()
    this.off()
  }
}
