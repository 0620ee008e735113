/**
 * A settings form's unsaved edits, kept while the person looks elsewhere (another type, the
 * board) so that coming back finds them as they were left: only Save or Discard ends them.
 * Per workspace session (the owner object), in this window's memory.
 */
export class KeptEdits<T> {
  private readonly byOwner = new WeakMap<object, Map<string, T>>()

  get(owner: object, key: string): T | undefined {
    return this.byOwner.get(owner)?.get(key)
  }

  set(owner: object, key: string, value: T): void {
    const kept = this.byOwner.get(owner) ?? new Map<string, T>()
    this.byOwner.set(owner, kept)
    kept.set(key, value)
  }

  delete(owner: object, key: string): void {
    this.byOwner.get(owner)?.delete(key)
  }

  has(owner: object, key: string): boolean {
    return this.byOwner.get(owner)?.has(key) ?? false
  }
}
