import { useEffect } from 'react'
import { create } from 'zustand'
import type { HostBridge, OpenRequest } from '../../../shared/host/api.ts'
import { useBoardUi } from '../board/board-store.ts'
import { readDroppedBytes } from '../board/file-drop.ts'

/**
 * What the OS asked Signoff to open (host event `onOpen`): an invite link fills in the join form,
 * a file starts a new output as if it had been dropped on the window. Kept here until the screen
 * that takes it is showing (a file waits for an open workspace).
 */
interface OpenRequests {
  join: { relay: string; token: string } | null
  file: { name: string; bytes: Uint8Array } | null
  takeJoin(): { relay: string; token: string } | null
}

export const useOpenRequests = create<OpenRequests>((set, get) => ({
  join: null,
  file: null,
  takeJoin() {
    const join = get().join
    if (join) set({ join: null })
    return join
  },
}))

export function listenForOpenRequests(host: HostBridge | undefined): void {
  host?.onOpen((request: OpenRequest) => {
    if (request.kind === 'join')
      useOpenRequests.setState({ join: { relay: request.relay, token: request.token } })
    else useOpenRequests.setState({ file: { name: request.name, bytes: request.bytes } })
  })
}

/** In an open workspace: an opened file becomes "New output" with its text, like a dropped one. */
export function useOpenedFiles(
  notify: (kind: 'error' | 'info', text: string) => void,
  show: (view: { name: 'board' }) => void,
): void {
  const file = useOpenRequests((s) => s.file)
  useEffect(() => {
    if (!file) return
    useOpenRequests.setState({ file: null })
    const result = readDroppedBytes(file.name, file.bytes)
    if (!result.ok) {
      notify('error', result.reason)
      return
    }
    show({ name: 'board' })
    useBoardUi
      .getState()
      .openNewOutput({ title: result.title, content: result.content, tool: `file: ${file.name}` })
  }, [file, notify, show])
}
