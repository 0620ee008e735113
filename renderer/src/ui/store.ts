import { create } from 'zustand'
import type { ReviewState, RiskTier } from '../../../shared/domain/types.ts'

/** UI-only state: what is on screen. Document data lives in Yjs, never here. */
export type View =
  | { name: 'board' }
  | { name: 'output'; outputId: string }
  | { name: 'settings'; tab?: string }
  | { name: 'shipped' }
  | { name: 'activity' }
  | { name: 'insight' }

export interface BoardFilters {
  typeId: string | null
  risk: RiskTier | null
  assignee: string | null
  waitingForMe: boolean
  states?: ReviewState[]
}

export interface Notice {
  id: number
  kind: 'error' | 'info'
  text: string
}

interface UiState {
  activeWorkspaceId: string | null
  view: View
  filters: BoardFilters
  notices: Notice[]
  setActiveWorkspace: (id: string | null) => void
  show: (view: View) => void
  setFilters: (patch: Partial<BoardFilters>) => void
  notify: (kind: Notice['kind'], text: string) => void
  dismiss: (id: number) => void
}

let noticeId = 0
const INFO_NOTICE_MS = 6000

export const useUi = create<UiState>((set) => ({
  activeWorkspaceId: null,
  view: { name: 'board' },
  filters: { typeId: null, risk: null, assignee: null, waitingForMe: false },
  notices: [],
  setActiveWorkspace: (id) => set({ activeWorkspaceId: id, view: { name: 'board' } }),
  show: (view) => set({ view }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  notify: (kind, text) => {
    const id = ++noticeId
    set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }))
    // Confirmations fade on their own; errors stay until the person dismisses them.
    if (kind === 'info') setTimeout(() => useUi.getState().dismiss(id), INFO_NOTICE_MS)
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}))
