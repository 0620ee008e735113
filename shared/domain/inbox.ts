/**
 * "For me": what waits for one member in one workspace, from the workspace document alone (the
 * board rows and the thread index), so every workspace's inbox is known without opening any
 * output. Newest first. An item leaves when it is acted upon: a review when the output leaves
 * review or gets the approvals it needs, a mention when the member writes on that output's
 * threads afterwards, a send-back when the author resubmits.
 */

import { threadIndexOf, threadIndexRow } from './comments.ts'
import type { Workspace } from './workspace.ts'

export type InboxKind = 'review' | 'mention' | 'changes_requested'

export interface InboxItem {
  kind: InboxKind
  workspaceId: string
  outputId: string
  title: string
  at: number
  /** One line: what is asked, or the mention's words. */
  text: string
  /** Who it is from (a mention's author), when there is one. */
  by?: string
  /** A mention's comment or reply id. */
  id?: string
}

export function inboxFor(ws: Workspace, memberId: string): InboxItem[] {
  const me = ws.members.get(memberId)
  if (!me) return []
  const items: InboxItem[] = []
  const base = (id: string, title: string) => ({ workspaceId: ws.id, outputId: id, title })
  for (const s of ws.allSummaries()) {
    if (s.state === 'in_review') {
      const type = ws.types.get(s.typeId)
      const mine = s.reviewer === memberId
      const mayApprove =
        !!type &&
        me.roles.some((r) => type.approverRoles.includes(r)) &&
        (s.authorId !== memberId || type.allowSelfApproval) &&
        s.approvals < s.approvalsRequired
      if (mine || mayApprove)
        items.push({
          kind: 'review',
          ...base(s.id, s.title),
          at: s.submittedAt ?? s.updatedAt,
          text: mine
            ? 'Waiting for your review'
            : `Waiting for approval (${s.approvals} of ${s.approvalsRequired})`,
        })
    } else if (s.state === 'changes_requested' && s.authorId === memberId) {
      items.push({
        kind: 'changes_requested',
        ...base(s.id, s.title),
        at: s.updatedAt,
        text: `Changes requested: ${s.reasons.join(' · ')}`,
      })
    }
  }
  items.push(...mentionsFor(ws, memberId))
  return items.sort((a, b) => b.at - a.at)
}

/** The mentions of a member not answered yet (they wrote on that output's threads since). */
export function mentionsFor(ws: Workspace, memberId: string): InboxItem[] {
  const items: InboxItem[] = []
  for (const outputId of threadIndexOf(ws).keys()) {
    const row = threadIndexRow(ws, outputId)
    const answered = row.lastBy[memberId] ?? 0
    const title = ws.summary(outputId)?.title ?? 'An output'
    for (const m of row.mentions)
      if (m.memberId === memberId && m.at > answered)
        items.push({
          kind: 'mention',
          id: m.id,
          workspaceId: ws.id,
          outputId,
          title,
          at: m.at,
          text: m.excerpt,
          by: ws.members.get(m.by)?.name ?? m.by,
        })
  }
  return items
}

/**
 * Mentions that arrived since the last look, to notify about once. `seen` is null on the first
 * look; a mention written before `since` (the app opened, less a grace period) is in the inbox
 * and not announced: workspaces load one by one, so "first look" alone would announce old ones.
 */
export function freshMentions(
  seen: ReadonlySet<string> | null,
  items: readonly InboxItem[],
  since = 0,
): { seen: Set<string>; fresh: InboxItem[] } {
  const next = new Set<string>()
  const fresh: InboxItem[] = []
  for (const i of items) {
    if (i.kind !== 'mention' || !i.id) continue
    const key = `${i.workspaceId}/${i.outputId}/${i.id}`
    next.add(key)
    if (seen && !seen.has(key) && i.at >= since) fresh.push(i)
  }
  // Keep what was seen before too: a mention answered and then edited back is not news.
  if (seen) for (const k of seen) next.add(k)
  return { seen: next, fresh }
}

/** Tags of mention notifications: one per mention, whoever shows it (a window or the host). */
export const MENTION_TAG = 'signoff-mention-'

/** The desktop notification for a mention. */
export function mentionNotice(m: InboxItem): { title: string; body: string; tag: string } {
  return {
    title: `${m.by ?? 'Someone'} mentioned you on “${m.title}”`,
    body: m.text,
    tag: `${MENTION_TAG}${m.id}`,
  }
}
