/**
 * Which documents no other node holds, so that their notices need not be published at all: with
 * a load balancer hashing on the workspace (affinity) that is nearly every document, and a
 * notice per document per commit round was a large part of a node's cost per delivery.
 *
 * A document turns quiet when a notice of it reached no subscriber but this node (PUBLISH
 * answers how many received it), and loud again as soon as another node says hello (a node that
 * loads a document subscribes, reads the log, then asks the others for presence: that is the
 * hello), or either Redis connection reconnects. The hello's receiver then announces its head, so
 * whatever it committed unannounced between the other node's read and the hello is fetched from
 * PostgreSQL at once. A publish whose answer comes back after a hello or a reconnection it did not
 * see does not make its document quiet: the answer may predate the new listener.
 */
export class QuietDocs {
  private readonly quiet = new Set<string>()
  /** This node's confirmed subscriptions (a document's notices reach it too: count 1 is itself). */
  private readonly subscribed = new Set<string>()
  private readonly hellos = new Map<string, number>()
  private epoch = 0

  isQuiet(doc: string): boolean {
    return this.quiet.has(doc)
  }

  /** What a publish must remember to judge its answer (see `answered`). */
  sent(doc: string): { epoch: number; hellos: number } {
    return { epoch: this.epoch, hellos: this.hellos.get(doc) ?? 0 }
  }

  /** PUBLISH answered `receivers` for a notice sent at `at`. */
  answered(doc: string, receivers: number, at: { epoch: number; hellos: number }): void {
    if (receivers > 1 || !this.subscribed.has(doc)) return
    if (at.epoch !== this.epoch || at.hellos !== (this.hellos.get(doc) ?? 0)) return
    this.quiet.add(doc)
  }

  hello(doc: string): void {
    this.hellos.set(doc, (this.hellos.get(doc) ?? 0) + 1)
    this.quiet.delete(doc)
  }

  subscribedTo(doc: string): void {
    this.subscribed.add(doc)
  }

  unsubscribed(doc: string): void {
    this.subscribed.delete(doc)
    this.quiet.delete(doc)
    this.hellos.delete(doc)
  }

  /** A Redis connection (re)connected: listeners may have come and gone unseen. */
  reconnected(): void {
    this.epoch++
    this.quiet.clear()
    this.subscribed.clear()
  }
}
