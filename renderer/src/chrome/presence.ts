import { useEffect, useState } from 'react'
import type { WorkspaceSession } from '../data/session.ts'
import { memberColor } from '../output/member-color.ts'
import { useObservedValue } from '../state/observable.ts'

/** What each peer publishes on the workspace document's awareness. */
export interface PresenceState {
  user: { name: string; color: string; memberId: string }
  viewing: string | null
}

export interface Peer extends PresenceState {
  clientId: number
}

/** A stable, dark enough colour per member (white initials stay readable on it). */
export function personColor(key: string): string {
  return memberColor(key).color
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const first = parts[0]?.[0] ?? '?'
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : ''
  return (first + last).toUpperCase()
}

function isPresence(v: unknown): v is PresenceState {
  if (typeof v !== 'object' || v === null) return false
  const u = (v as { user?: unknown }).user
  return typeof u === 'object' && u !== null && typeof (u as { name?: unknown }).name === 'string'
}

/**
 * The workspace document's awareness, carried by the host (to this device's other windows and,
 * through the host's relay connection, the team) and by the window's own relay connection; null
 * with neither (presence hides).
 */
function awarenessOf(session: WorkspaceSession) {
  return session.sync.presence
}

/** Publish who I am and what I am looking at, whenever the connection (re)appears. */
export function usePublishPresence(
  session: WorkspaceSession | null,
  name: string,
  viewing: string | null,
): void {
  const awareness = useObservedValue(session, () => (session ? awarenessOf(session) : null))
  useEffect(() => {
    if (!awareness || !session) return
    const state: PresenceState = {
      user: { name, color: personColor(session.memberId), memberId: session.memberId },
      viewing,
    }
    awareness.setLocalState(state)
  }, [awareness, session, name, viewing])
}

/** Everyone else connected to this workspace right now. */
export function usePeers(session: WorkspaceSession | null): Peer[] {
  const awareness = useObservedValue(session, () => (session ? awarenessOf(session) : null))
  const [peers, setPeers] = useState<Peer[]>([])
  useEffect(() => {
    if (!awareness) {
      setPeers([])
      return
    }
    const read = () => {
      const out: Peer[] = []
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID || !isPresence(state)) continue
        out.push({
          clientId,
          user: state.user,
          viewing: typeof state.viewing === 'string' ? state.viewing : null,
        })
      }
      setPeers(out)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [awareness])
  return peers
}
