import { tmpdir } from 'node:os'
import { expect } from './fixtures/app.ts'
import { addFolderDestination, openSettings, setUpFolder } from './fixtures/screens.ts'
import { joinedTest } from './fixtures/two-members.ts'

/**
 * Workspace settings changed by one member, seen by another through a real relay. An admin
 * renames the workspace from Settings → General, by keyboard; a bad name is refused in words and
 * keeps the focus; the teammate's switcher follows, and the teammate, not an admin, sees the name
 * without a field. A destination renamed by one admin shows its new name in the other's open
 * form; one removed by one admin leaves the other machine's settings for it, which that admin is
 * shown and deletes.
 */
joinedTest(
  'an admin renames the workspace and the teammate’s switcher follows',
  ['Reviewer'],
  async ({ ada, bea }) => {
    await expect(bea.locator('#workspace-switcher option:checked')).toHaveText('Acme')

    await ada.getByRole('button', { name: 'Settings', exact: true }).click()
    await ada.getByRole('tab', { name: 'General' }).click()
    const section = ada.getByRole('region', { name: 'Workspace' })
    const field = section.getByLabel('Workspace name')
    await expect(field).toHaveValue('Acme')
    await field.fill('   ')
    await field.press('Enter')
    await expect(section.getByRole('alert')).toHaveText('Give the workspace a name.')
    await expect(field).toBeFocused()
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await ada.keyboard.type('Acme Research')
    await ada.keyboard.press('Enter')
    await expect(section.getByRole('status')).toHaveText('Renamed the workspace to “Acme Research”.')
    await expect(ada.locator('#workspace-switcher option:checked')).toHaveText('Acme Research')

    await expect(bea.locator('#workspace-switcher option:checked')).toHaveText('Acme Research', {
      timeout: 20_000,
    })
    await bea.getByRole('button', { name: 'Settings', exact: true }).click()
    await bea.getByRole('tab', { name: 'General' }).click()
    const hers = bea.getByRole('region', { name: 'Workspace' })
    await expect(hers).toContainText('“Acme Research”. Only admins can rename the workspace.')
    await expect(hers.getByRole('textbox')).toHaveCount(0)
  },
)

joinedTest(
  'a destination renamed by one admin shows the new name in the other admin’s open form',
  ['Admin'],
  async ({ ada, bea }) => {
    await addFolderDestination(ada, 'Shared drive')
    await openSettings(bea)
    await bea.getByRole('tab', { name: 'Destinations' }).click()
    const hers = bea
      .getByRole('region', { name: 'Destination Shared drive' })
      .getByLabel('Name', { exact: true })
    await expect(hers).toHaveValue('Shared drive', { timeout: 20_000 })

    const mine = ada
      .getByRole('region', { name: 'Destination Shared drive' })
      .getByLabel('Name', { exact: true })
    await mine.fill('Team drive')
    await mine.press('Enter')
    const renamed = bea.getByRole('region', { name: 'Destination Team drive' })
    await expect(renamed.getByLabel('Name', { exact: true })).toHaveValue('Team drive', { timeout: 20_000 })
    // Pressing Rename on the untouched field does not put the old name back.
    await renamed.getByRole('button', { name: 'Rename' }).click()
    await expect(renamed.getByRole('alert')).toHaveText('That is its name already.')
    await expect(ada.getByRole('region', { name: 'Destination Team drive' })).toBeVisible()
  },
)

joinedTest(
  'a destination removed by one admin leaves the other machine’s settings for it to delete there',
  ['Admin'],
  async ({ ada, bea }) => {
    await addFolderDestination(ada, 'Shared drive')
    await expect(bea.getByRole('navigation', { name: 'Destinations' })).toContainText('Shared drive', {
      timeout: 20_000,
    })
    await setUpFolder(bea, 'Shared drive', tmpdir())

    // Ada removes it on her machine.
    const panel = ada.getByRole('tabpanel', { name: 'Destinations' })
    await panel.getByRole('button', { name: 'Remove destination' }).click()
    await panel.getByRole('button', { name: 'Remove “Shared drive”' }).click()

    // Bea's machine still keeps her folder setting: she is told, and deletes it by keyboard.
    const leftover = bea.getByRole('region', { name: 'Settings kept for removed destinations' })
    await expect(leftover).toContainText('Shared drive (removed) · Folder', { timeout: 20_000 })
    const del = leftover.getByRole('button', { name: 'Delete settings for Shared drive (removed)' })
    await del.focus()
    await bea.keyboard.press('Enter')
    await expect(leftover.getByRole('status')).toHaveText(
      'Deleted this machine’s settings for Shared drive (removed).',
    )
    await expect(leftover.getByRole('listitem')).toHaveCount(0)
  },
)
