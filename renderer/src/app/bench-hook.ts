/**
 * Dev-only hook for `npm run bench:ui`: fills the active workspace with generated outputs. Loaded
 * only when localStorage has `signoff.bench = 1` (set by the benchmark), never in normal use.
 */
import { localOrigin } from '../../../shared/domain/origins.ts'
import type { OutputSummary, ReviewState } from '../../../shared/domain/types.ts'
import { summaryText } from '../../../shared/domain/workspace.ts'
import type { AppModel } from '../data/app-model.ts'
import { onHost } from '../data/host-commands.ts'

declare global {
  interface Window {
    __signoffBench?: {
      seed: (count: number, real: number) => Promise<{ workspaceId: string; realIds: string[] }>
      /** Anchor `count` comments across an output's text (bench:ui's typing-with-comments figure). */
      comment: (outputId: string, count: number) => Promise<number>
    }
  }
}

const STATES: ReviewState[] = [
  'draft',
  'draft',
  'in_review',
  'in_review',
  'in_review',
  'changes_requested',
  'approved',
  'approved',
  'approved_stale',
  'archived',
]
const WORDS = [
  'Pricing',
  'Launch',
  'Weekly',
  'Customer',
  'Renewal',
  'Summary',
  'Post',
  'Proposal',
  'Update',
  'Notes',
]

export function installBenchHook(model: AppModel, activeId: () => string | null): void {
  window.__signoffBench = {
    async seed(count, real) {
      const id = activeId()
      const session = id ? model.session(id) : undefined
      if (!session) throw new Error('No active workspace to seed.')
      await session.ready
      const ws = session.workspace
      const types = ws.types.all()
      const me = session.memberId
      const now = Date.now()
      ws.transact(localOrigin(me), () => {
        for (let i = 0; i < count; i++) {
          const type = types[i % types.length]!
          const state = STATES[i % STATES.length]!
          const s: OutputSummary = {
            id: `bench${i}`,
            title: `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]?.toLowerCase()} #${i}`,
            typeId: type.id,
            state,
            authorId: me,
            assignees: [],
            tags: [],
            createdAt: now - i * 60_000,
            updatedAt: now - i * 60_000 - 1,
            ...(state === 'in_review' ? { submittedAt: now - (i % 97) * 3_600_000 } : {}),
            contentHash: `h${i}`,
            approvals: state.startsWith('approved') ? type.approvalsRequired : 0,
            approvalsRequired: type.approvalsRequired,
            checklistDone: i % (type.checklist.length + 1),
            checklistTotal: type.checklist.length,
            checklistFailed: state === 'changes_requested' ? 1 : 0,
            reasons:
              state === 'changes_requested' ? ['Numbers match the price book: the Pro price is wrong'] : [],
          }
          ws.summaries.set(s.id, summaryText(s))
        }
      })
      const realIds: string[] = []
      const lowRisk = types.find((t) => t.allowSelfApproval) ?? types[0]!
      for (let i = 0; i < real; i++) {
        const outputId = `benchreal${i}`
        const made = await onHost(
          ws,
          session.openOutputNow(outputId, {}).output,
          {
            name: 'createOutput',
            args: {
              title: `Real draft ${i}`,
              typeId: lowRisk.id,
              content: `# Real draft ${i}\n\nSome generated text.`,
            },
          },
          outputId,
        )
        if (!made.ok) throw new Error(made.reason)
        realIds.push(outputId)
      }
      await session.flush()
      return { workspaceId: ws.id, realIds }
    },
    async comment(outputId, count) {
      const id = activeId()
      const session = id ? model.session(id) : undefined
      if (!session) throw new Error('No active workspace.')
      const out = (await session.openOutput(outputId)).output
      const length = out.content.length
      let made = 0
      for (let i = 0; i < count; i++) {
        const from = Math.floor(((i + 0.5) * length) / count)
        const r = await onHost(session.workspace, out, {
          name: 'addComment',
          args: { from, to: Math.min(length, from + 12), body: `Comment ${i}` },
        })
        if (r.ok) made++
      }
      return made
    },
  }
}
