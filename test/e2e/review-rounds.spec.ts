import type { Page } from '@playwright/test'
import { expect } from './fixtures/app.ts'
import { action, checklistItem, editor, resubmitAndReopen } from './fixtures/screens.ts'
import { twoMemberTest } from './fixtures/two-members.ts'

/**
 * The decision in reach and the second round, two members through a real relay: Bea judges with
 * the keyboard (F, a note, Ctrl+Enter; J/K to move; P to pass) and sends it back; Ada fixes and
 * resubmits; Bea's view opens on "Changes since your last review" with her round-one note beside
 * the item; the automatic checks fold to one line when all pass; the decision stays on screen.
 */

const TITLE = 'Weekly notes'
const verdictRadio = (page: Page, item: string, verdict: 'Pass' | 'Fail' | 'N/A') =>
  checklistItem(page, item).getByRole('radio', { name: verdict })

twoMemberTest(
  'round two opens on what changed, with round one’s verdicts beside the checklist',
  {
    roles: ['Reviewer'],
    output: { title: TITLE, content: 'Decisions: ship on Friday.' },
    words: 'ship on Friday',
  },
  async ({ ada, bea }) => {
    // Round one: nothing to compare with yet.
    await expect(bea.getByRole('region', { name: 'Changes since your last review' })).toHaveCount(0)
    await expect(ada.getByText('Submitted for review.', { exact: true })).toBeVisible()

    // All automatic checks pass: one line, which opens to the list.
    const checks = bea.getByRole('region', { name: 'Automatic checks' })
    await expect(checks).toContainText('All 4 automatic checks passed')
    await expect(checks.getByText('No placeholders or AI leftovers')).toBeHidden()

    // The checklist by keyboard: J moves to the next item and K back, F drafts a fail and goes to
    // the note, Ctrl+Enter saves it. Words selected in the content first: the failure's note
    // becomes a comment anchored to them.
    await editor(bea).click()
    await bea.keyboard.press('Control+Home')
    for (let i = 0; i < 'Decisions: '.length; i++) await bea.keyboard.press('ArrowRight')
    for (let i = 0; i < 'ship on Friday'.length; i++) await bea.keyboard.press('Shift+ArrowRight')
    await verdictRadio(bea, 'Matches the source', 'Pass').focus()
    await bea.keyboard.press('j')
    await expect(verdictRadio(bea, 'Actions are clear', 'Pass')).toBeFocused()
    await bea.keyboard.press('k')
    await expect(verdictRadio(bea, 'Matches the source', 'Pass')).toBeFocused()
    await bea.keyboard.press('f')
    const note = bea.getByRole('textbox', { name: 'Note on Matches the source' })
    await expect(note).toBeFocused()
    await bea.keyboard.type('No owner named')
    await bea.keyboard.press('Control+Enter')
    await expect(checklistItem(bea, 'Matches the source')).toContainText(
      'Fail by Bea Reviewer: No owner named',
    )
    const pointed = bea
      .getByRole('region', { name: 'Comments' })
      .getByRole('article', { name: 'Comment by Bea Reviewer on “ship on Friday”' })
    await expect(pointed).toContainText('Matches the source fails: No owner named')
    await expect(bea.locator('.cm-content [data-comment-id]')).toHaveText('ship on Friday')
    // The decision is on screen without scrolling, however long the panel.
    await expect(action(bea, 'Request changes')).toBeInViewport()
    await action(bea, 'Request changes').click()
    await expect(bea.getByRole('status').filter({ hasText: 'Sent back' })).toBeVisible()
    // Ada's "Submitted for review." does not stand under Bea's send-back.
    await expect(ada.getByText('Changes requested', { exact: true }).first()).toBeVisible({ timeout: 15_000 })
    await expect(ada.getByText('Submitted for review.', { exact: true })).toHaveCount(0)

    // Ada fixes it and resubmits; Bea opens it again.
    // Bea's view opens on the changes since her round-one judgement, with her verdict beside the item.
    const since = await resubmitAndReopen(ada, bea, TITLE, 'No owner named')
    await expect(since).toContainText('You judged round 1.')
    await expect(since.locator('ins')).toContainText('Owner')
    await expect(since).toContainText('Decisions: ship on Friday.')
    // Rendered as a reader sees it (Markdown, not source text), saying which verdicts carry over.
    await expect(since.locator('.ov-diff-rendered p ins')).toContainText('Owner: Ada.')
    await expect(since).toContainText('No verdict carries over into round 2')
    await since.getByRole('button', { name: 'Show source words' }).click()
    await expect(since.locator('.ov-diff ins')).toContainText('Owner')
    await since.getByRole('button', { name: 'Show source words' }).click()
    await expect(checklistItem(bea, 'Matches the source')).toContainText('Round 1: failed — No owner named')
    await expect(checklistItem(bea, 'Matches the source')).toContainText('Not judged on this version yet.')
    await bea.screenshot({ path: 'test-results/round-two.png', fullPage: true })

    // P passes the focused item at once and moves on; the approval is then in reach.
    await verdictRadio(bea, 'Matches the source', 'Pass').focus()
    await bea.keyboard.press('p')
    await expect(checklistItem(bea, 'Matches the source')).toContainText('Pass by Bea Reviewer')
    await expect(verdictRadio(bea, 'Actions are clear', 'Pass')).toBeFocused()
    await expect(action(bea, 'Approve')).toBeInViewport()
    await action(bea, 'Approve').click()
    await expect(bea.getByText('Approved.', { exact: true })).toBeVisible()
    await bea.getByRole('button', { name: 'Hide changes' }).click()
    await expect(since).toHaveCount(0)
  },
)
