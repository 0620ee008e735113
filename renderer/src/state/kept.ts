/**
 * What a person typed and has not used yet (a form's unsaved edits, a reason, a reply), kept in
 * this window's memory while they look elsewhere, under a key naming what it belongs to, so that
 * coming back finds it as they left it.
 */
export class Kept<T> {
  private readonly byKey = new Map<string, T>()

  get(key: string): T | undefined {
    return this.byKey.get(key)
  }

  has(key: string): boolean {
    return this.byKey.has(key)
  }

  /** Keep `value` under `key`; with nothing to keep (undefined), forget what was kept there. */
  keep(key: string, value: T | undefined): void {
    if (value === undefined) this.byKey.delete(key)
    else this.byKey.set(key, value)
  }
}
