import { useEffect } from 'react'
import type { WorkspaceSession } from '../data/session.ts'
import { useUi } from '../ui/store.ts'
import { localDestinations } from './local.ts'
import { ScheduleRunner } from './runner.ts'

/** Run scheduled publishes and drift checks for the open workspace while it is on screen. */
export function usePublishing(session: WorkspaceSession): void {
  const notify = useUi((s) => s.notify)
  useEffect(() => {
    void localDestinations(session.entry.id).refresh()
    const runner = new ScheduleRunner(session)
    runner.onResult = (text, kind) => notify(kind, text)
    runner.start()
    return () => runner.stop()
  }, [session, notify])
}
