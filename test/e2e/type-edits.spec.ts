import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'
import { adaWithBea, joinWorkspace, openSettings, profile } from './fixtures/screens.ts'

/**
 * Two admins edit one output type through a real relay. Bea's form, untouched, follows Ada's
 * saves; once Bea has edits of her own, Ada's later change is named above the form instead, and
 * Bea's save keeps it: a review standard is never reverted by a form that was open at the time.
 */

async function openType(page: Page, name: string) {
  await openSettings(page)
  await page.getByRole('tab', { name: 'Output types' }).click()
  await page
    .getByRole('tabpanel', { name: 'Output types' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click()
  return page.getByRole('form', { name: `Edit “${name}”` })
}

async function addItem(page: Page, form: ReturnType<Page['getByRole']>, title: string) {
  await form.getByRole('button', { name: 'Add checklist item' }).click()
  const last = form.getByRole('group', { name: /^Item \d+$/ }).last()
  await last.getByLabel('Title').fill(title)
  await last.getByLabel('Question the reviewer answers').fill(`${title}?`)
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Internal summary”.' })).toBeVisible()
}

test('a type saved by one admin is not reverted by another admin’s open form', async ({
  openApp,
  newMember,
  relay,
}) => {
  test.setTimeout(120_000)
  const { ada, token, beaId } = await adaWithBea(openApp, relay, ['Admin'])
  const bea = await newMember()
  await profile(bea, 'Bea Reviewer')
  await joinWorkspace(bea, relay.url, token(beaId))

  const adas = await openType(ada, 'Internal summary')
  const beas = await openType(bea, 'Internal summary')
  const titles = (form: ReturnType<Page['getByRole']>) =>
    form.getByRole('group', { name: /^Item \d+$/ }).getByLabel('Title')

  // Bea has not touched her form: Ada's new item simply appears in it.
  await addItem(ada, adas, 'Legal read it')
  await expect(titles(beas).last()).toHaveValue('Legal read it', { timeout: 20_000 })

  // Bea starts an edit of her own; then Ada adds another item.
  await beas.getByLabel('What it is for').fill('Team notes, checked by two people.')
  await addItem(ada, adas, 'Numbers checked')
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
})
