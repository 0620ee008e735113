import { useEffect, useState } from 'react'

/**
 * False until the first frame with this component is drawn and the page is idle, then true: for
 * what a first paint need not wait for (a status that checks every registered key's signature, a
 * count over every row), so a large workspace's board shows before it is computed.
 */
export function useAfterFirstPaint(): boolean {
  const [idle, setIdle] = useState(false)
  useEffect(() => {
    // Passive effects run after the frame is drawn; the idle callback after the tasks queued then.
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(() => setIdle(true), 0)
      return () => clearTimeout(timer)
    }
    const id = requestIdleCallback(() => setIdle(true), { timeout: 1000 })
    return () => cancelIdleCallback(id)
  }, [])
  return idle
}
