import { useEffect, useState } from 'react'

/**
 * An object with a lifetime tied to the component (an observer, an undo manager): created in an
 * effect so StrictMode's mount-unmount-mount gets a fresh one instead of a destroyed one.
 */
export function useResource<T>(
  create: () => T,
  destroy: (value: T) => void,
  deps: readonly unknown[],
): T | null {
  const [value, setValue] = useState<T | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide the lifetime
  useEffect(() => {
    const created = create()
    setValue(() => created)
    return () => {
      setValue(null)
      destroy(created)
    }
  }, [...deps])
  return value
}
