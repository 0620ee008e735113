import type { ReactNode } from 'react'
import { useUi } from '../ui/store.ts'

/** A button that opens an output, named by its title: how the trace views link to what they list. */
export function OutputLink({ outputId, children }: { outputId: string; children: ReactNode }) {
  return (
    <button
      type="button"
      title={typeof children === 'string' ? children : undefined}
      onClick={() => useUi.getState().show({ name: 'output', outputId })}
    >
      {children}
    </button>
  )
}
