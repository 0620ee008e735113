import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { readSummaries } from '../../../../renderer/src/board/summaries.ts'
import { ERROR_NOTICE_MS, INFO_NOTICE_MS, MAX_NOTICES, useUi } from '../../../../renderer/src/ui/store.ts'
import { createOutput } from '../../../../shared/domain/actions.ts'
import { OutputDoc } from '../../../../shared/domain/output.ts'
import { enrollAll } from '../../../support/keys.ts'
import { smallTeamWorkspace } from '../../../support/workspace.ts'

const texts = () => useUi.getState().notices.map((n) => n.text)

describe('notices (issue 12 #10)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    useUi.setState({ notices: [] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('errors fade too, later than confirmations', () => {
    const { notify } = useUi.getState()
    notify('info', 'Created the draft.')
    notify('error', '“Launch” was not moved: it needs a reviewer.')
    vi.advanceTimersByTime(INFO_NOTICE_MS)
    expect(texts()).toEqual(['“Launch” was not moved: it needs a reviewer.'])
    vi.advanceTimersByTime(ERROR_NOTICE_MS - INFO_NOTICE_MS)
    expect(texts()).toEqual([])
  })

  it('do not pile up: the same text once, and at most a few at a time', () => {
    const { notify } = useUi.getState()
    for (let i = 0; i < 5; i++) notify('error', 'Cannot reach the relay.')
    expect(texts()).toEqual(['Cannot reach the relay.'])
    for (let i = 0; i < 10; i++) notify('error', `Problem ${i}`)
    expect(texts()).toHaveLength(MAX_NOTICES)
    expect(texts().at(-1)).toBe('Problem 9')
  })

  it('a notice about a condition is taken back when the condition is over', () => {
    const { notify, clearNotice } = useUi.getState()
    notify('error', 'Cannot reach the relay at ws://x; working offline.', 'session-status')
    notify('info', 'Created the draft.')
    clearNotice('session-status')
    expect(texts()).toEqual(['Created the draft.'])
  })
})

describe('bidirectional control characters (issue 12 #12)', () => {
  it('cannot reverse the sentence of a notice that quotes a title', () => {
    useUi.setState({ notices: [] })
    useUi.getState().notify('error', '“Invoice \u202Efdp.exe” was not moved: it needs a reviewer.')
    expect(texts()).toEqual(['“Invoice fdp.exe” was not moved: it needs a reviewer.'])
  })

  it('are taken out of the titles and reasons the board shows', () => {
    const ws = smallTeamWorkspace(new Y.Doc(), 'wsBidi', 'Bidi', { id: 'mAda', name: 'Ada' })
    enrollAll(ws)
    const out = new OutputDoc(new Y.Doc())
    createOutput(ws, out, {
      title: 'Invoice \u202Efdp.exe \u2066x\u2069 \u202Bq\u202C',
      typeId: 'internal-summary',
      content: 'Text',
      authorId: 'mAda',
    })
    expect(readSummaries(ws).map((s) => s.title)).toEqual(['Invoice fdp.exe x q'])
  })
})
