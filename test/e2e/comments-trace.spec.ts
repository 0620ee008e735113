import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { action, selectInSource } from './fixtures/screens.ts'
import { twoMemberTest } from './fixtures/two-members.ts'

/**
 * Two members through a real relay: Bea's comment mentions Ada, and Ada is told at once in the
 * page (the web build's notice; the desktop app's host shows the OS notification). The signed
 * comment records then show in the output's History, per round, and in the workspace's Activity.
 */

const TITLE = 'Release note'
const CONTENT = 'We ship on Friday. The price stays 29 EUR.'
const notices = (page: Page) => page.getByRole('region', { name: 'Notices' })

twoMemberTest(
  'a mention notifies the member; comments show per round in History and in Activity',
  { roles: ['Reviewer', 'Approver'], output: { title: TITLE, content: CONTENT }, words: '29 EUR' },
  async ({ ada, bea }) => {
    await selectInSource(bea, 'on Friday')
    await action(bea, 'Comment').click()
    await bea.getByLabel(/Your comment/).fill('@Ada Author which Friday?')
    await action(bea, 'Add comment').click()

    // Ada is told, in the page, without opening anything.
    await expect(notices(ada)).toContainText(
      'Bea Reviewer mentioned you on “Release note”: @Ada Author which Friday?',
      {
        timeout: 20_000,
      },
    )
    // Bea is not told about her own comment.
    await expect(notices(bea)).not.toContainText('mentioned you')

    // A reply of one very long word wraps inside its thread, for Bea and in Ada's notice.
    const long = `see ${'x'.repeat(400)}`
    await bea.getByRole('textbox', { name: /Reply/ }).first().fill(`@Ada Author ${long}`)
    await bea.getByRole('button', { name: 'Reply', exact: true }).first().click()
    // (The notice quotes the start of it.)
    const start = long.slice(0, 40)
    await expect(notices(ada)).toContainText(start, { timeout: 20_000 })
    const boxes = [
      bea.locator('.ov-comment-body', { hasText: long }),
      notices(ada).locator('.notice', { hasText: start }).locator('span').first(),
    ]
    for (const box of boxes) {
      await expect(box).toBeVisible()
      const overflow = (await box.evaluate(
        (el) =>
          (el as unknown as { scrollWidth: number }).scrollWidth -
          (el as unknown as { clientWidth: number }).clientWidth,
      )) as number
      expect(overflow).toBeLessThanOrEqual(1)
    }

    // History: the signed records per round, with the version they were written on.
    await ada.getByRole('button', { name: 'History', exact: true }).click()
    const byRound = ada.getByRole('region', { name: 'Comments by round' })
    await expect(byRound.getByRole('region', { name: 'Round 1' })).toContainText(
      /Bea Reviewer commented on “on Friday” \(version [0-9a-f]{8}\): @Ada Author which Friday\?/,
      { timeout: 15_000 },
    )
    await ada.screenshot({ path: test.info().outputPath('history-comments.png'), fullPage: true })
    await ada.keyboard.press('Escape')

    // The workspace's Activity lists it beside the trail's events.
    await ada.getByRole('button', { name: '← Back to board' }).click()
    await ada.getByRole('button', { name: 'Activity', exact: true }).click()
    await expect(ada.getByRole('list', { name: 'Recent activity' })).toContainText(
      'Bea Reviewer commented on “on Friday”',
      { timeout: 15_000 },
    )
    await expect(ada.getByText('Who did what, newest first, in the one output.')).toBeVisible()
    // The long reply wraps in its entry: the page does not scroll sideways.
    await expect(ada.getByRole('list', { name: 'Recent activity' })).toContainText(long)
    const sideways = (await ada.evaluate(
      '(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)()',
    )) as number
    expect(sideways).toBe(0)
  },
)
