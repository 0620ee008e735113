import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './fixtures/app.ts'
import { addFolderDestination, firstRun } from './fixtures/screens.ts'

/** Settings → Destinations: a folder is checked on save and with Test (issue 12 #8, #13). */

test('a folder that is missing or takes no files is refused with its real cause; Test says so first', async ({
  openApp,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'signoff-e2e-dest-'))
  try {
    const page = await openApp()
    await firstRun(page)
    await addFolderDestination(page, 'Shared drive')
    const section = page.getByRole('region', { name: 'Destination Shared drive' })
    const path = section.getByLabel('Folder path')
    const alert = section.getByRole('alert')

    await path.fill(join(dir, 'missing'))
    await section.getByRole('button', { name: 'Test', exact: true }).click()
    await expect(alert).toHaveText(`The folder ${join(dir, 'missing')} does not exist.`)
    await section.getByRole('button', { name: 'Save on this machine' }).click()
    await expect(alert).toHaveText(`The folder ${join(dir, 'missing')} does not exist.`)
    await expect(section).toContainText('Not set up on this machine yet.')

    if (process.platform === 'linux') {
      await path.fill('/proc/1')
      await section.getByRole('button', { name: 'Test', exact: true }).click()
      await expect(alert).toContainText('/proc/1 exists but does not take new files')
    }

    // The file-name template names one file: a "/" is refused where it is typed.
    await section.getByLabel('File name template').fill('{date}/{slug}.{ext}')
    await expect(section).toContainText('cannot contain “/” or “\\”')
    await section.getByLabel('File name template').fill('{date}-{slug}.{ext}')

    await path.fill(dir)
    await section.getByRole('button', { name: 'Test', exact: true }).click()
    await expect(section.getByRole('status')).toContainText(`Signoff can write to ${dir}`)
    expect(await readdir(dir)).toEqual([])
    await section.getByRole('button', { name: 'Save on this machine' }).click()
    await expect(section.getByRole('status')).toContainText('Saved the settings')
    await section.screenshot({ path: 'test-results/destination-check.png' })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
