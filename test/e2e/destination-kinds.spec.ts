import { expect, test } from './fixtures/app.ts'
import { firstRun, openSettings } from './fixtures/screens.ts'

/** Settings → Destinations: every kind's form is generated from its declared fields (issue 15). */

test('webhook, git and email settings are saved from the generated form; secrets are never shown back', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  const panel = page.getByRole('tabpanel', { name: 'Destinations' })
  const add = async (name: string, kind: string) => {
    await panel.getByLabel('Destination name').fill(name)
    await panel.getByLabel('Kind').selectOption(kind)
    await panel.getByRole('button', { name: 'Add destination' }).click()
    return page.getByRole('region', { name: `Destination ${name}` })
  }

  const hook = await add('Hook', 'webhook')
  await expect(hook).toContainText('· Webhook')
  await expect(hook.getByRole('button', { name: 'Test', exact: true })).toHaveCount(0)
  await expect(hook.getByLabel('Timeout (ms)')).toHaveValue('10000')
  await expect(hook.getByLabel('Attempts')).toHaveValue('3')
  await hook.getByLabel('Webhook URL').fill('ftp://example.com/x')
  await hook.getByRole('button', { name: 'Generate secret' }).click()
  await expect(hook.getByLabel('Signing secret')).toHaveValue(/^whsec_/)
  await hook.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(hook.getByRole('alert')).toContainText('url')
  await hook.getByLabel('Webhook URL').fill('https://example.com/hooks/signoff')
  await hook.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(hook.getByRole('status')).toContainText('Saved the settings for “Hook”')
  await expect(hook).toContainText('Secret: set')
  await expect(hook.getByLabel('Signing secret')).toHaveValue('')
  await expect(hook.getByLabel('Signing secret')).toHaveAttribute(
    'placeholder',
    'set (leave empty to keep it)',
  )

  const repo = await add('Repo', 'git')
  await expect(repo).toContainText('· Git repository')
  await expect(repo.getByLabel('Remote')).toHaveValue('origin')
  await expect(repo.getByLabel('Format')).toHaveValue('markdown')
  await expect(repo.getByRole('checkbox', { name: 'Push after each commit' })).not.toBeChecked()
  await expect(repo).toContainText('Example file name:')

  const mail = await add('Mail', 'email')
  await expect(mail.getByLabel('Port')).toHaveValue('587')
  await expect(mail.getByLabel('Security')).toHaveValue('starttls')
  await mail.getByLabel('SMTP host').fill('smtp.example.com')
  await mail.getByLabel('Security').selectOption('tls')
  await mail.getByLabel('Port').fill('465')
  await mail.getByLabel('User name').fill('me')
  await mail.getByLabel('Password').fill('hunter2')
  await mail.getByLabel('From').fill('me@example.com')
  await mail.getByLabel('To (comma-separated)').fill('a@example.com; b@example.com')
  await mail.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(mail.getByRole('status')).toContainText('Saved the settings for “Mail”')
  await expect(mail).toContainText('Password: set')
  await expect(mail.getByLabel('Password')).toHaveValue('')
  await expect(mail.getByLabel('To (comma-separated)')).toHaveValue('a@example.com, b@example.com')
  await expect(mail.getByLabel('Port')).toHaveValue('465')
  await expect(mail.getByLabel('Security')).toHaveValue('tls')
  await panel.screenshot({ path: 'test-results/destination-kinds.png' })
})
