import type * as Y from 'yjs'
import { Observable } from '../state/observable.ts'

/** Any change to one Y.Doc as an Observable, so React can read derived values with useObserved. */
export class DocObservable extends Observable {
  private readonly doc: Y.Doc

  constructor(doc: Y.Doc) {
    super()
    this.doc = doc
    doc.on('update', this.onUpdate)
  }

  private onUpdate = () => this.emit()

  destroy(): void {
    this.doc.off('update', this.onUpdate)
  }
}
