import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { addChecklistItem, openOutputType } from './fixtures/screens.ts'
import { joinedTest } from './fixtures/two-members.ts'

/**
 * Two admins edit one output type through a real relay. Bea's form, untouched, follows Ada's
 * saves; once Bea has edits of her own, Ada's later change is named above the form instead, and
 * Bea's save keeps it: a review standard is never reverted by a form that was open at the time.
 */

joinedTest(
  'a type saved by one admin is not reverted by another admin’s open form',
  ['Admin'],
  async ({ ada, bea }) => {
    const adas = await openOutputType(ada, 'Internal summary')
    const beas = await openOutputType(bea, 'Internal summary')
    const titles = (form: ReturnType<Page['getByRole']>) =>
      form.getByRole('group', { name: /^Item \d+$/ }).getByLabel('Title')

    // Bea has not touched her form: Ada's new item simply appears in it.
    await addChecklistItem(ada, 'Internal summary', 'Legal read it')
    await expect(titles(beas).last()).toHaveValue('Legal read it', { timeout: 20_000 })

    // Bea starts an edit of her own; then Ada adds another item.
    await beas.getByLabel('What it is for').fill('Team notes, checked by two people.')
    await addChecklistItem(ada, 'Internal summary', 'Numbers checked')
    const notice = bea.getByRole('status').filter({ hasText: 'Changed elsewhere while this form was open' })
    await expect(notice).toContainText('the checklist', { timeout: 20_000 })
    await bea.screenshot({ path: test.info().outputPath('type-edits-notice.png') })
    await expect(titles(beas).last()).toHaveValue('Legal read it')

    // Bea saves: her description goes in, and Ada's item stays.
    await beas.getByRole('button', { name: 'Save type' }).click()
    await expect(bea.getByRole('status').filter({ hasText: 'Saved “Internal summary”.' })).toBeVisible()
    await expect(notice).toHaveCount(0)
    await expect(titles(beas).last()).toHaveValue('Numbers checked')
    await expect(adas.getByLabel('What it is for')).toHaveValue('Team notes, checked by two people.', {
      timeout: 20_000,
    })
    await expect(titles(adas).last()).toHaveValue('Numbers checked')
    await bea.screenshot({ path: test.info().outputPath('type-edits-bea.png'), fullPage: true })
  },
)
