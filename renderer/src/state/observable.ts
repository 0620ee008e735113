import { useMemo, useRef, useSyncExternalStore } from 'react'

/**
 * A tiny observable with an epoch: the snapshot React reads is the epoch number, which changes
 * exactly when the source does, so `useSyncExternalStore` never loops on fresh objects.
 */
export class Observable {
  private listeners = new Set<() => void>()
  private epoch = 0

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  getEpoch = (): number => this.epoch

  protected emit(): void {
    this.epoch++
    for (const listener of [...this.listeners]) listener()
  }
}

const noopSubscribe = () => () => {}
const zero = () => 0

/** Read a value derived from an observable; recomputed only when its epoch (or a dep) changes. */
export function useObserved<T>(
  source: Observable | null | undefined,
  read: () => T,
  deps: readonly unknown[] = [],
): T {
  const epoch = useSyncExternalStore(
    source ? source.subscribe : noopSubscribe,
    source ? source.getEpoch : zero,
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch is the change signal for `read`
  return useMemo(read, [source, epoch, ...deps])
}

/**
 * Like `useObserved`, for a value compared by identity (a string, a number, a flag, a kept
 * object): the component renders again only when the value changed, not at every change of the
 * source. A workspace session changes at every keystroke (its documents' sync state); the frame
 * around the output view reads only its name and membership, and must not render the whole view
 * again for each key.
 */
export function useObservedValue<T>(
  source: Observable | null | undefined,
  read: () => T,
  deps: readonly unknown[] = [],
): T {
  const last = useRef<{ source: unknown; epoch: number; deps: readonly unknown[]; value: T } | null>(null)
  const snapshot = (): T => {
    const epoch = source ? source.getEpoch() : 0
    const l = last.current
    if (l && l.source === source && l.epoch === epoch && sameDeps(l.deps, deps)) return l.value
    const value = read()
    last.current = { source, epoch, deps, value: l && Object.is(l.value, value) ? l.value : value }
    return last.current.value
  }
  return useSyncExternalStore(source ? source.subscribe : noopSubscribe, snapshot)
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]))
}

/**
 * Like `useObservedValue`, for rows read whole from a document (a workspace's output types or
 * members, a few dozen small rows): the same array as before while the rows are the same,
 * compared as JSON. Read fresh, such a list is a new array at every change of the source, and
 * everything computed from it (the board's 10,000 cards regrouped) was computed again at every
 * sync status change.
 */
export function useObservedRows<T>(
  source: Observable | null | undefined,
  read: () => readonly T[],
): readonly T[] {
  const last = useRef<KeptRows<T> | null>(null)
  return useObservedValue(source, () => {
    last.current = keepSameRows(last.current, read())
    return last.current.rows
  })
}

export interface KeptRows<T> {
  json: string
  rows: readonly T[]
}

/** The kept rows when `rows` are the same as JSON, else `rows` kept from now on. */
export function keepSameRows<T>(kept: KeptRows<T> | null, rows: readonly T[]): KeptRows<T> {
  const json = JSON.stringify(rows)
  return kept?.json === json ? kept : { json, rows }
}
