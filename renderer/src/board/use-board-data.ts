import { useEffect, useMemo, useState } from 'react'
import type { OutputSummary } from '../../../shared/domain/types.ts'
import type { Peer } from '../chrome/presence.ts'
import type { WorkspaceSession } from '../data/session.ts'
import { useObservedRows, useObservedValue } from '../state/observable.ts'
import { useUi } from '../ui/store.ts'
import { useBoardUi } from './board-store.ts'
import { COLUMNS, type ColumnDef, type ColumnId, columnOf, MAIN_COLUMNS } from './columns.ts'
import { allTags, groupSummaries } from './filters.ts'
import { readSummaries } from './summaries.ts'

/**
 * What the board shows: the workspace's outputs grouped into the visible columns (after search
 * and filters, with cards being moved already in their target column), who is looking at which
 * output, and a clock for the cards' ages.
 */
export function useBoardData(
  session: WorkspaceSession,
  peers: readonly Peer[],
  pending: ReadonlyMap<string, ColumnId>,
) {
  const ws = session.workspace
  // Each the same value until it changes: the board renders, and regroups its cards, only then,
  // not at every change of the session (its documents' sync state moves at every save).
  const summaries = useObservedValue(session, () => readSummaries(ws))
  const typeList = useObservedRows(session, () => ws.types.all())
  const memberList = useObservedRows(session, () => ws.members.all())
  const types = useMemo(() => new Map(typeList.map((t) => [t.id, t])), [typeList])
  const members = useMemo(() => new Map(memberList.map((m) => [m.id, m])), [memberList])
  const me = members.get(session.memberId)
  const filters = useUi((s) => s.filters)
  const search = useBoardUi((s) => s.search)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(t)
  }, [])

  const grouped = useMemo(() => {
    const q = search.trim().toLowerCase()
    const base = q ? summaries.filter((s) => s.title.toLowerCase().includes(q)) : summaries
    const g = groupSummaries(base, filters, { me, types })
    // Cards being moved show in their target column straight away; the rules confirm or undo it.
    for (const [id, to] of pending) {
      const s = summaries.find((x) => x.id === id)
      if (!s) continue
      const from = columnOf(s.state)
      if (from === to) continue
      g.set(
        from,
        (g.get(from) ?? []).filter((x) => x.id !== id),
      )
      g.set(to, [s, ...(g.get(to) ?? [])])
    }
    return g as ReadonlyMap<ColumnId, readonly OutputSummary[]>
  }, [summaries, filters, me, types, search, pending])

  const tags = useMemo(() => allTags(summaries), [summaries])
  const showClosed = (filters.states ?? []).some((s) => s === 'rejected' || s === 'archived')
  const visibleColumns: readonly ColumnDef[] = COLUMNS.filter(
    (c) => MAIN_COLUMNS.includes(c.id) || (c.id === 'closed' && showClosed),
  )

  const viewersByOutput = useMemo(() => {
    const m = new Map<string, Peer[]>()
    for (const p of peers) {
      if (!p.viewing) continue
      const list = m.get(p.viewing) ?? []
      list.push(p)
      m.set(p.viewing, list)
    }
    return m
  }, [peers])

  return {
    summaries,
    typeList,
    memberList,
    types,
    members,
    grouped,
    tags,
    visibleColumns,
    viewersByOutput,
    now,
  }
}
