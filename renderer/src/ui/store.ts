import { create } from 'zustand'
import type { ReviewState, RiskTier } from '../../../shared/domain/types.ts'
import { stripBidi } from './bidi.ts'

/** UI-only state: what is on screen. Document data lives in Yjs, never here. */
export type View =
  | { name: 'board' }
  | { name: 'output'; outputId: string }
  | { name: 'settings'; tab?: string }
  | { name: 'shipped' }
  | { name: 'activity' }
  | { name: 'insight' }
  | { name: 'inbox' }

export interface BoardFilters {
  typeId: string | null
  risk: RiskTier | null
  assignee: string | null
  /** Only outputs with this tag (intake's `tags`, or the New output dialog's). */
  tag?: string | null
  waitingForMe: boolean
  states?: ReviewState[]
}

export interface Notice {
  id: number
  kind: 'error' | 'info'
  text: string
  /** A notice about a condition (the relay is unreachable) has a key, so it can be taken back. */
  key?: string
}

interface UiState {
  activeWorkspaceId: string | null
  view: View
  /** The output the person last had open: back on the board, its card takes the focus. */
  lastOutputId: string | null
  filters: BoardFilters
  notices: Notice[]
  setActiveWorkspace: (id: string | null) => void
  show: (view: View) => void
  setFilters: (patch: Partial<BoardFilters>) => void
  /**
   * Show a notice. The same text again, or the same key, replaces the old one rather than
   * stacking; at most MAX_NOTICES show at once. Every notice fades: confirmations after
   * INFO_NOTICE_MS, errors after ERROR_NOTICE_MS (what they report stays on the card, the
   * banner or the form that failed).
   */
  notify: (kind: Notice['kind'], text: string, key?: string) => void
  dismiss: (id: number) => void
  /** The condition a keyed notice reported is over (synced again): take that notice back. */
  clearNotice: (key: string) => void
}

let noticeId = 0
export const INFO_NOTICE_MS = 6000
export const ERROR_NOTICE_MS = 15_000
export const MAX_NOTICES = 3

export const useUi = create<UiState>((set) => ({
  activeWorkspaceId: null,
  view: { name: 'board' },
  lastOutputId: null,
  filters: { typeId: null, risk: null, assignee: null, waitingForMe: false },
  notices: [],
  setActiveWorkspace: (id) => set({ activeWorkspaceId: id, view: { name: 'board' }, lastOutputId: null }),
  show: (view) => set(view.name === 'output' ? { view, lastOutputId: view.outputId } : { view }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  notify: (kind, text, key) => {
    const id = ++noticeId
    set((s) => {
      const others = s.notices.filter(
        (n) => n.text !== stripBidi(text) && (key === undefined || n.key !== key),
      )
      // Notices interpolate titles and names: no bidi override may reverse the sentence.
      const notice: Notice = { id, kind, text: stripBidi(text), ...(key !== undefined ? { key } : {}) }
      return { notices: [...others.slice(-(MAX_NOTICES - 1)), notice] }
    })
    setTimeout(() => useUi.getState().dismiss(id), kind === 'info' ? INFO_NOTICE_MS : ERROR_NOTICE_MS)
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  clearNotice: (key) => set((s) => ({ notices: s.notices.filter((n) => n.key !== key) })),
}))
