import { expect } from './fixtures/app.ts'
import { action, checklistItem, editor, startNewVersion } from './fixtures/screens.ts'
import { soloTest } from './fixtures/solo.ts'

/**
 * One person, through the screens a person uses: first run, the board's "New output", then the
 * output view's editor and review panel. Elements are found by role and accessible name.
 */

soloTest(
  'review an output: edit and undo, judge the checklist, approve, and an edit makes it "approved, stale"',
  { title: 'Weekly team notes', typeId: 'internal-summary', content: 'Decisions: ship on Friday.' },
  async (page) => {
    // The editor holds the content; undo takes back what this person typed.
    await expect(editor(page)).toContainText('Decisions: ship on Friday.')
    await editor(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Owner: Bea.')
    await expect(editor(page)).toContainText('ship on Friday. Owner: Bea.')
    await page.keyboard.press('Control+z')
    await expect(editor(page)).not.toContainText('Owner: Bea.')
    await expect(editor(page)).toContainText('Decisions: ship on Friday.')

    // The panel shows the standard: what the type is for, its risk in words, questions and guidance.
    const panel = page.getByRole('complementary', { name: 'Review' })
    await expect(panel).toContainText('What it is for:')
    await expect(panel.getByText('Low risk')).toBeVisible()
    await expect(checklistItem(page, 'Matches the source')).toContainText(
      'Does the summary say what the source material says?',
    )
    await expect(checklistItem(page, 'Matches the source')).toContainText('Good enough:')

    // A draft cannot be approved yet, and the reason is written next to the button.
    await expect(action(page, 'Approve')).toBeDisabled()
    await expect(panel).toContainText('Only outputs in review can be approved; submit it first.')
    await expect(
      checklistItem(page, 'Matches the source').getByRole('radio', { name: 'Pass' }),
    ).toBeDisabled()
    await action(page, 'Submit for review').click()
    await expect(page.getByText('In review', { exact: true })).toBeVisible()

    // Approving needs the send-back item judged first.
    await expect(action(page, 'Approve')).toBeDisabled()
    await expect(panel).toContainText(
      '1 checklist item still needs a judgement on this version: “Matches the source”.',
    )
    await checklistItem(page, 'Matches the source').getByRole('radio', { name: 'Pass' }).check()
    // A chosen radio is not yet a judgement, and the item says so.
    const unsaved = 'Pass chosen, not saved yet: Save judgement records it.'
    await expect(checklistItem(page, 'Matches the source')).toContainText(unsaved)
    await expect(
      checklistItem(page, 'Matches the source').getByRole('button', {
        name: 'Save judgement on Matches the source',
      }),
    ).toHaveAccessibleDescription(unsaved)
    await checklistItem(page, 'Matches the source')
      .getByRole('button', { name: 'Save judgement on Matches the source' })
      .click()
    await expect(checklistItem(page, 'Matches the source')).toContainText('Pass by Ada Lovelace')
    await expect(checklistItem(page, 'Matches the source')).not.toContainText(unsaved)
    await expect(action(page, 'Approve')).toBeEnabled()
    await action(page, 'Approve').click()
    await expect(page.getByText('Approved', { exact: true })).toBeVisible()
    await expect(panel).toContainText('1 of 1 approval: Ada Lovelace')
    await expect(action(page, 'Approve')).toBeDisabled()
    await expect(panel).toContainText('It is already approved (1 of 1).')
    // Submit says the same, not "in review" (its phase underneath).
    await expect(panel.getByText('It is already approved.', { exact: true })).toBeVisible()

    // Approved content is locked: typing changes nothing until "Start a new version", whose
    // confirmation names the approval it voids.
    await editor(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Sneaky.')
    await expect(editor(page)).not.toContainText('Sneaky')
    await expect(page.getByText('Approved', { exact: true })).toBeVisible()
    await page.getByRole('button', { name: 'Start a new version', exact: true }).click()
    await expect(page.getByRole('dialog', { name: 'Start a new version?' })).toContainText(
      'the approval of Ada Lovelace will no longer count',
    )
    await page.getByRole('button', { name: 'Keep it locked' }).click()
    await startNewVersion(page)

    // An edit after approval: the approval no longer counts and the badge says so, with why.
    await editor(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Also: retro on Monday.')
    await expect(page.getByText('Approved, stale', { exact: true })).toBeVisible()
    await expect(page.getByText(/content changed since it was approved/)).toBeVisible()
    await expect(panel).toContainText('Ada Lovelace approved an earlier version (stale, not counted)')
    await expect(checklistItem(page, 'Matches the source')).toContainText('Outdated:')
  },
)

soloTest(
  'a failed send-back item turns the decision into "request changes" and the author sees the reasons',
  { title: 'Standup digest', typeId: 'internal-summary', content: 'Everyone is on track.' },
  async (page) => {
    await action(page, 'Submit for review').click()

    const source = checklistItem(page, 'Matches the source')
    // By keyboard: arrows move through the verdicts; nothing is recorded until Save.
    await source.getByRole('radio', { name: 'Pass' }).focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowRight')
    await expect(source.getByRole('radio', { name: 'Fail' })).toBeChecked()
    await expect(source).toContainText('Not judged on this version yet.')
    // A fail needs a note, and says so next to the disabled Save.
    const save = source.getByRole('button', { name: 'Save judgement on Matches the source' })
    await expect(source).toContainText('Say why it fails, then save.')
    await expect(save).toBeDisabled()
    await source
      .getByRole('textbox', { name: 'Note on Matches the source' })
      .fill('Bea is blocked, not on track')
    await save.click()
    await expect(source).toContainText('Fail by Ada Lovelace: Bea is blocked, not on track')

    await expect(
      page.getByText('A failed item sends it back: request changes with these reasons.'),
    ).toBeVisible()
    await expect(page.getByRole('textbox', { name: /What needs to change/ })).toHaveValue(
      'Matches the source: Bea is blocked, not on track',
    )
    await expect(action(page, 'Approve')).toBeDisabled()
    await expect(
      page.getByText(/has a failed item that sends it back \(“Matches the source”\)/),
    ).toBeVisible()
    await action(page, 'Request changes').click()

    const banner = page.getByRole('status').filter({ hasText: 'Changes requested:' })
    await expect(banner).toContainText('Matches the source: Bea is blocked, not on track')
    await expect(page.getByText('Changes requested', { exact: true })).toBeVisible()

    // The title is edited in place; Enter keeps it.
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Standup digest, corrected')
    await page.keyboard.press('Enter')
    await expect(editor(page)).toHaveAttribute('aria-label', 'Content of Standup digest, corrected')

    // Keyboard: Escape goes back to the board, where the card carries the new title.
    await editor(page).click()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Standup digest, corrected', exact: true })).toBeVisible()
  },
)
