import { randomBytes } from 'node:crypto'
import { startSmtpPeer } from '../integration/publish/smtp-peer.ts'
import { startWebhookPeer } from '../integration/publish/webhook-peer.ts'
import { expect, test } from './fixtures/app.ts'
import { firstRun, openSettings } from './fixtures/screens.ts'

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
  const add = async (name: string, kind: string) => {
    await panel.getByLabel('Destination name').fill(name)
    await panel.getByLabel('Kind').selectOption(kind)
    await panel.getByRole('button', { name: 'Add destination' }).click()
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
}
