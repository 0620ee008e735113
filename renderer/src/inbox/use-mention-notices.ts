import { useEffect, useRef } from 'react'
import { freshMentions, type InboxItem, mentionNotice } from '../../../shared/domain/inbox.ts'
import { desktopNotify } from '../routing/permission.ts'
import { useUi } from '../ui/store.ts'

/**
 * Tell this person when someone mentions them: in the page always (a notice), and on the desktop
 * through the host's `notify` when they allowed notifications. Mentions that waited before the
 * window opened are in "For me" and are not announced again.
 */
/** Mentions written this long before the window opened still count as news (a reload, a late sync). */
const GRACE_MS = 2 * 60_000

export function useMentionNotices(items: readonly InboxItem[] | null): void {
  const seen = useRef<Set<string> | null>(null)
  const since = useRef(Date.now() - GRACE_MS)
  useEffect(() => {
    if (!items) return
    const { seen: next, fresh } = freshMentions(seen.current, items, since.current)
    seen.current = next
    for (const m of fresh) {
      const n = mentionNotice(m)
      useUi.getState().notify('info', `${n.title}: ${n.body}`, `mention-${m.id}`)
      // The host shows it once, whether it or this window asks first.
      desktopNotify(n.title, n.body, n.tag)
    }
  }, [items])
}
