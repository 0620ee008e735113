import { create } from 'zustand'
import type { NewOutputDraft } from './NewOutputDialog.tsx'

/** Board-only UI state the window frame also drives (Ctrl+N, a dropped file, Find). */
interface BoardUi {
  newOutput: NewOutputDraft | null
  openNewOutput: (draft?: NewOutputDraft) => void
  closeNewOutput: () => void
  search: string
  setSearch: (search: string) => void
  findRequest: number
  requestFind: () => void
}

export const useBoardUi = create<BoardUi>((set) => ({
  newOutput: null,
  openNewOutput: (draft = {}) => set({ newOutput: draft }),
  closeNewOutput: () => set({ newOutput: null }),
  search: '',
  setSearch: (search) => set({ search }),
  findRequest: 0,
  requestFind: () => set((s) => ({ findRequest: s.findRequest + 1 })),
}))
