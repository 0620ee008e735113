/**
 * Notes this person's edits in the trail when an editing burst settles, not per keystroke, and on
 * demand before a review action. The text at the last note is kept as the "before" of the next.
 */
import type * as Y from 'yjs'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import { onHost } from '../data/host-commands.ts'
import { type Clock, realClock, Settle } from '../state/settle.ts'

export class EditRecorder {
  private baseline: string
  private dirty = false
  private readonly ws: Workspace
  private readonly out: OutputDoc
  private readonly settle: Settle

  /** `_memberId`: the member the host records for is this window's (data/host-commands.ts). */
  constructor(ws: Workspace, out: OutputDoc, _memberId: string, idleMs = 3000, clock: Clock = realClock) {
    this.ws = ws
    this.out = out
    this.settle = new Settle(() => void this.flush(), idleMs, clock)
    this.baseline = out.text()
    out.content.observe(this.onChange)
  }

  private onChange = (_event: Y.YTextEvent, tr: Y.Transaction) => {
    if (!tr.local) {
      // Someone else's edit (or the local database loading): theirs to record, not ours.
      if (!this.dirty) this.baseline = this.out.text()
      return
    }
    this.dirty = true
    this.settle.poke()
  }

  /**
   * Record now if this person changed the text since the last note; resolves true when a note was
   * written. The host records it (it signs); commands asked after this one run after it, so a
   * decision that follows names the text noted here.
   */
  flush(): Promise<boolean> {
    this.settle.cancel()
    if (!this.dirty) return Promise.resolve(false)
    this.dirty = false
    const previousText = this.baseline
    this.baseline = this.out.text()
    return onHost<boolean>(this.ws, this.out, { name: 'recordEdit', args: { previousText } }).then(
      (r) => r.ok && r.value === true,
    )
  }

  destroy(): void {
    void this.flush()
    this.out.content.unobserve(this.onChange)
  }
}
