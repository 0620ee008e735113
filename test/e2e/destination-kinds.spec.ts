import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSmtpPeer } from '../integration/publish/smtp-peer.ts'
import { startWebhookPeer } from '../integration/publish/webhook-peer.ts'
import { expect, test } from './fixtures/app.ts'
import { firstRun, nav, openSettings } from './fixtures/screens.ts'

/**
 * Settings → Destinations: every kind's form is generated from its declared fields (issue 15), and
 * Test tries a webhook and an SMTP server for real (a signed test event; a sign-in, no email).
 */

test('webhook, git and email settings are saved from the generated form; secrets are never shown back', async ({
  openApp,
}) => {
  // The receiver's secret, as its owner would hand it over; and an SMTP server that wants a password.
  const secret = `whsec_${randomBytes(32).toString('base64')}`
  const peer = await startWebhookPeer(secret)
  const smtp = await startSmtpPeer('me', 'hunter2')
  try {
    await destinations(await openApp(), peer, secret, smtp.port)
    expect(smtp.mails).toBe(0)
  } finally {
    await peer.close()
    await smtp.close()
  }
})

async function destinations(
  page: import('@playwright/test').Page,
  peer: Awaited<ReturnType<typeof startWebhookPeer>>,
  secret: string,
  smtpPort: number,
) {
  await firstRun(page)
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  const panel = page.getByRole('tabpanel', { name: 'Destinations' })
  // By keyboard: the kind first, then the name and Enter (Settings' other add forms take Enter too).
  const add = async (name: string, kind: string) => {
    await panel.getByLabel('Kind').selectOption(kind)
    await panel.getByLabel('Destination name').fill(name)
    await panel.getByLabel('Destination name').press('Enter')
    await expect(panel.getByRole('status').first()).toHaveText(
      `Added the destination “${name}”. Set it up on this machine below.`,
    )
    await expect(panel.getByLabel('Destination name')).toHaveValue('')
    return page.getByRole('region', { name: `Destination ${name}` })
  }

  const hook = await add('Hook', 'webhook')
  await expect(hook).toContainText('· Webhook')
  const testButton = hook.getByRole('button', { name: 'Test', exact: true })
  await expect(testButton).toHaveAccessibleDescription(
    /one signed event of type “signoff.test”; nothing is published/,
  )
  await expect(hook.getByLabel('Timeout (ms)')).toHaveValue('10000')
  // Test before saving: the receiver verifies the signature and answers 200.
  await hook.getByLabel('Webhook URL').fill(peer.url)
  await hook.getByLabel('Signing secret').fill(secret)
  await testButton.click()
  await expect(hook.getByRole('status')).toContainText(/answered HTTP 200 to a signed test event/)
  expect(peer.received.map((r) => [r.verified, JSON.parse(r.body).type])).toEqual([[true, 'signoff.test']])
  await hook.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(hook.getByRole('status')).toContainText('Saved the settings for “Hook”')
  // Saved, the secret field is empty and Test uses the stored secret.
  await expect(hook.getByLabel('Signing secret')).toHaveValue('')
  await testButton.click()
  await expect.poll(() => peer.received.length).toBe(2)
  await expect(hook.getByRole('status')).toContainText(/answered HTTP 200/)
  expect(peer.received[1]!.verified).toBe(true)
  // A new secret the receiver does not know yet: its refusal, and what to do about it.
  await hook.getByRole('button', { name: 'Generate secret' }).click()
  await testButton.click()
  await expect(hook.getByRole('alert')).toContainText(/refused the test event: HTTP 401/)
  await expect(hook.getByRole('alert')).toContainText("give it this destination's secret")
  await expect(hook.getByLabel('Attempts')).toHaveValue('3')
  const url = hook.getByLabel('Webhook URL')
  const timeout = hook.getByLabel('Timeout (ms)')
  const save = hook.getByRole('button', { name: 'Save on this machine' })
  await url.fill('ftp://example.com/x')
  await timeout.fill('-5')
  await hook.getByRole('button', { name: 'Generate secret' }).click()
  await expect(hook.getByLabel('Signing secret')).toHaveValue(/^whsec_/)
  // Saved from the keyboard with two bad fields: refused before the host is asked, each field says
  // what it needs (as its description, not as part of its name), and the focus goes to the first.
  await save.focus()
  await page.keyboard.press('Enter')
  await expect(hook.getByRole('alert')).toHaveText(
    'Nothing was saved: check 2 fields marked above (Webhook URL, Timeout (ms)).',
  )
  await expect(url).toBeFocused()
  await expect(url).toHaveAttribute('aria-invalid', 'true')
  await expect(url).toHaveAccessibleDescription('A webhook URL starts with http:// or https://.')
  await expect(timeout).toHaveAccessibleDescription('A whole number of milliseconds from 100 to 120000.')
  // Put right, a field's mark goes at once, and the message names only what is left.
  await url.fill('https://example.com/hooks/signoff')
  await expect(url).not.toHaveAttribute('aria-invalid')
  await expect(hook.getByRole('alert')).toHaveText(
    'Nothing was saved: check the field marked above (Timeout (ms)).',
  )
  // Left empty, a number takes its default.
  await timeout.fill('')
  await expect(hook.getByRole('alert')).toHaveCount(0)
  await save.focus()
  await page.keyboard.press('Enter')
  await expect(hook.getByRole('status')).toContainText('Saved the settings for “Hook”')
  // The keyboard focus stays on Save while the host saves and after.
  await expect(save).toBeFocused()
  await expect(timeout).toHaveValue('10000')
  await expect(hook).toContainText('Secret: set')
  await expect(hook.getByLabel('Signing secret')).toHaveValue('')
  await expect(hook.getByLabel('Signing secret')).toHaveAttribute(
    'placeholder',
    'set (leave empty to keep it)',
  )

  // Names are unique: a second "hook" is refused; renaming is by Enter; removing asks first.
  await panel.getByLabel('Kind').selectOption('folder')
  await panel.getByLabel('Destination name').fill('HOOK')
  await panel.getByLabel('Destination name').press('Enter')
  await expect(panel.getByRole('alert').first()).toHaveText(
    'There is already a destination named “Hook”: give this one another name.',
  )
  const spare = await add('Spare', 'folder')
  await spare.getByLabel('Name', { exact: true }).fill('Old spare')
  await spare.getByLabel('Name', { exact: true }).press('Enter')
  const renamed = page.getByRole('region', { name: 'Destination Old spare' })
  await expect(renamed.getByRole('status').first()).toHaveText('Renamed to “Old spare”.')
  await renamed.getByRole('button', { name: 'Remove destination' }).click()
  const removeIt = renamed.getByRole('button', { name: 'Remove “Old spare”' })
  await expect(removeIt).toHaveAccessibleDescription(/Output types that may go there stop allowing it/)
  await renamed.getByRole('button', { name: 'Keep it' }).click()
  await expect(renamed).toBeVisible()
  await renamed.getByRole('button', { name: 'Remove destination' }).click()
  await removeIt.click()
  await expect(renamed).toHaveCount(0)

  const repo = await add('Repo', 'git')
  await expect(repo).toContainText('· Git repository')
  await expect(repo.getByLabel('Remote')).toHaveValue('origin')
  await expect(repo.getByLabel('Format')).toHaveValue('markdown')
  await expect(repo.getByRole('checkbox', { name: 'Push after each commit' })).not.toBeChecked()
  await expect(repo).toContainText('Example file name:')
  // A folder that is no git repository is refused at Save, not at the first publish.
  const folder = mkdtempSync(join(tmpdir(), 'signoff-e2e-repo-'))
  try {
    await repo.getByLabel('Repository path').fill(folder)
    await repo.getByRole('button', { name: 'Save on this machine' }).click()
    await expect(repo.getByRole('alert')).toHaveText(
      `The folder ${folder} is not inside a git repository (git init it first).`,
    )
    execFileSync('git', ['init', '-q', folder])
    await repo.getByRole('button', { name: 'Test', exact: true }).click()
    await expect(repo.getByRole('status')).toHaveText(
      `Signoff can write to ${folder}, which is in a git repository: a test file was created there and removed; nothing was committed.`,
    )
    await repo.getByRole('button', { name: 'Save on this machine' }).click()
    await expect(repo.getByRole('status')).toContainText('Saved the settings for “Repo”')
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }

  const mail = await add('Mail', 'email')
  await expect(mail.getByRole('button', { name: 'Test', exact: true })).toHaveAccessibleDescription(
    /signs in to the SMTP server; no email is sent/,
  )
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
  // Both recipients are in sight, not cut after the first.
  const to = mail.getByLabel('To (comma-separated)')
  type Box = { scrollWidth: number; clientWidth: number } // the node type-check has no DOM
  expect(
    await to.evaluate((i) => (i as unknown as Box).scrollWidth - (i as unknown as Box).clientWidth),
  ).toBe(0)
  await expect(mail.getByLabel('Port')).toHaveValue('465')
  await expect(mail.getByLabel('Security')).toHaveValue('tls')
  // Test against the real SMTP server on this machine, with the stored password: a sign-in, no email.
  await mail.getByLabel('SMTP host').fill('127.0.0.1')
  await mail.getByLabel('Port').fill(String(smtpPort))
  await mail.getByLabel('Security').selectOption('none')
  await mail.getByRole('button', { name: 'Test', exact: true }).click()
  await expect(mail.getByRole('status')).toHaveText(
    `Signed in to the SMTP server at 127.0.0.1:${smtpPort} as me (without TLS). No email was sent.`,
  )
  await mail.getByLabel('Password').fill('wrong')
  await mail.getByRole('button', { name: 'Test', exact: true }).click()
  await expect(mail.getByRole('alert')).toHaveText(
    `The SMTP server refused the user name or password (127.0.0.1:${smtpPort}).`,
  )
  await panel.screenshot({ path: 'test-results/destination-kinds.png' })

  // Those test settings are not saved. To the board and back: they wait in the form, said so,
  // until Discard changes puts back what is stored (the password, stored, stays unshown).
  await nav(page, 'Board')
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  await expect(mail.getByLabel('SMTP host')).toHaveValue('127.0.0.1')
  await expect(mail.getByLabel('Password')).toHaveValue('wrong')
  await expect(mail.getByRole('status')).toContainText(
    'Your changes from before are still here, not saved yet',
  )
  await mail.getByRole('button', { name: 'Discard changes' }).click()
  await expect(mail.getByLabel('SMTP host')).toHaveValue('smtp.example.com')
  await expect(mail.getByLabel('Port')).toHaveValue('465')
  await expect(mail.getByLabel('Password')).toHaveValue('')
  await expect(mail).toContainText('Password: set')
  await expect(mail.getByRole('button', { name: 'Discard changes' })).toHaveCount(0)
  // Saved, nothing is kept: the next visit shows the stored settings. A new password saved over
  // the old one is not shown back, and leaves no edits behind.
  await mail.getByLabel('Port').fill('2465')
  await mail.getByLabel('Password').fill('hunter3')
  await mail.getByRole('button', { name: 'Save on this machine' }).click()
  await expect(mail.getByRole('status')).toContainText('Saved the settings for “Mail”')
  await expect(mail.getByLabel('Password')).toHaveValue('')
  await expect(mail.getByRole('button', { name: 'Discard changes' })).toHaveCount(0)
  await nav(page, 'Board')
  await openSettings(page)
  await page.getByRole('tab', { name: 'Destinations' }).click()
  await expect(mail.getByLabel('Port')).toHaveValue('2465')
  await expect(mail.getByRole('button', { name: 'Discard changes' })).toHaveCount(0)
  await expect(mail.getByText('Your changes from before')).toHaveCount(0)
}
