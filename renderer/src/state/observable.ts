import { useMemo, useSyncExternalStore } from 'react'

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
