import { type AddressInfo, createServer } from 'node:net'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures/app.ts'

async function firstRun(page: Page) {
  await page.getByLabel('Your name').fill('Ada Lovelace')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Workspace name').fill('Acme')
  await page.getByRole('radio', { name: /Small team/ }).check()
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
}

test('settings tabs work by keyboard and include sync & hosting', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  const types = page.getByRole('tab', { name: 'Output types' })
  await expect(types).toHaveAttribute('aria-selected', 'true')
  await types.focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tab', { name: 'Members' })).toBeFocused()
  await expect(page.getByRole('tab', { name: 'Members' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'Members' })).toBeVisible()
  await page.keyboard.press('End')
  await expect(page.getByRole('tab', { name: 'Sync & hosting' })).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(types).toBeFocused()
  await expect(page.getByRole('tabpanel', { name: 'Output types' })).toBeVisible()

  // Hosting on a port another program holds: said in words, and the focus stays on the button.
  const taken = createServer()
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()))
  try {
    const port = (taken.address() as AddressInfo).port
    await page.getByRole('tab', { name: 'Sync & hosting' }).click()
    const inUse = `Port ${port} is already in use on this computer (another program, or another Signoff, listens there): choose another port, or 0 for any free one.`
    // Enter in the port starts hosting, as in the other settings forms.
    await page.getByLabel('Port').fill(String(port))
    await page.getByLabel('Port').press('Enter')
    await expect(page.getByRole('alert')).toHaveText(inUse)
    await expect(page.getByLabel('Port')).toBeFocused()
    const start = page.getByRole('button', { name: 'Start hosting' })
    await start.focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toHaveText(inUse)
    await expect(start).toBeFocused()
  } finally {
    await new Promise<void>((r) => taken.close(() => r()))
  }
})

test('an admin edits an output type: validation, checklist items, policy', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  const panel = page.getByRole('tabpanel', { name: 'Output types' })
  await panel.getByRole('button', { name: 'New output type' }).click()
  const form = page.getByRole('form', { name: 'New output type' })
  // The form opened on request: typing goes into its name.
  await expect(form.getByLabel('Name')).toBeFocused()
  for (const role of ['Author', 'Reviewer', 'Approver', 'Admin']) {
    const box = form
      .getByRole('group', { name: 'Roles that may approve' })
      .getByRole('checkbox', { name: role })
    if (await box.isChecked()) await box.uncheck()
  }
  await form.getByLabel('Approvals required (1–10)').fill('0')
  await form.getByRole('button', { name: 'Add checklist item' }).click()
  await expect(form.getByRole('group', { name: 'Item 1' }).getByLabel('Title')).toBeFocused()
  await form.getByRole('button', { name: 'Create type' }).click()
  await expect(form.getByRole('alert')).toContainText('things need fixing')
  await expect(form.getByText('Give the type a name.')).toBeVisible()
  await expect(form.getByText('Choose at least one role that may approve.')).toBeVisible()
  await expect(form.getByText('Approvals required must be a whole number from 1 to 10.')).toBeVisible()
  await expect(form.getByText('Item 1 needs a title.')).toBeVisible()
  await expect(form.getByLabel('Name')).toBeFocused()
  // A field's name stays its label; the message is its description, read once.
  const name = form.getByRole('textbox', { name: 'Name', exact: true })
  await expect(name).toHaveAccessibleDescription('Give the type a name.')
  await expect(
    form.getByRole('spinbutton', { name: 'Approvals required (1–10)', exact: true }),
  ).toHaveAccessibleDescription('Approvals required must be a whole number from 1 to 10.')
  await expect(
    form.getByRole('group', { name: 'Item 1' }).getByRole('textbox', { name: 'Title', exact: true }),
  ).toHaveAccessibleDescription('Item 1 needs a title.')

  await form.getByLabel('Name').fill('Release notes')
  await form.getByLabel('What it is for').fill('Notes for each release, sent to customers.')
  await form.getByRole('radio', { name: 'High risk' }).check()
  const first = form.getByRole('group', { name: 'Item 1' })
  await first.getByLabel('Title').fill('Changes listed')
  await first.getByLabel('Question the reviewer answers').fill('Is every change in the release listed?')
  await first.getByLabel('Good enough means').fill('Good enough: matches the merged pull requests.')
  await form.getByRole('button', { name: 'Add checklist item' }).click()
  const second = form.getByRole('group', { name: 'Item 2' })
  await second.getByLabel('Title').fill('Tone')
  await second.getByLabel('Question the reviewer answers').fill('Does it sound like us?')
  await second.getByLabel('If it fails').selectOption('warning')
  await second.getByRole('button', { name: 'Move up: Tone' }).click()
  await expect(form.getByRole('group', { name: 'Item 1' }).getByLabel('Title')).toHaveValue('Tone')
  await form
    .getByRole('group', { name: 'Roles that may approve' })
    .getByRole('checkbox', { name: 'Approver' })
    .check()
  await form.getByLabel('Approvals required (1–10)').fill('2')
  await form.getByRole('button', { name: 'Create type' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Release notes”.' })).toBeVisible()
  // Only one member holds the approver role, so two approvals could never be given: say so.
  await expect(page.getByText(/Only 1 member holds a role that may approve, but 2 approvals/)).toBeVisible()
  await expect(panel.getByRole('button', { name: /Release notes.*High risk/ })).toHaveAttribute(
    'aria-current',
    'true',
  )
  // Create type is gone with the new form; the focus is on its Save type, not lost to the page.
  const saved = page.getByRole('form', { name: 'Edit “Release notes”' })
  await expect(saved.getByRole('button', { name: 'Save type' })).toBeFocused()
  // The review SLA says its longest, not that it must be above 0.
  await saved.getByLabel('Review SLA (hours)').fill('100000')
  await saved.getByRole('button', { name: 'Save type' }).click()
  await expect(saved.getByLabel('Review SLA (hours)')).toHaveAccessibleDescription(
    'The review SLA is at most 8,760 hours (a year).',
  )
  // Back to the type from the list later: the creation's message and focus do not come back.
  await panel.getByRole('button', { name: /^Blog article/ }).click()
  await panel.getByRole('button', { name: /^Release notes/ }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Release notes”.' })).toHaveCount(0)
  await expect(panel.getByRole('button', { name: /^Release notes/ })).toBeFocused()
})

test('unsaved edits to a type wait while the person looks elsewhere, until saved or discarded', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  const panel = page.getByRole('tabpanel', { name: 'Output types' })
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
  const blog = page.getByRole('form', { name: 'Edit “Blog article”' })
  const purpose = blog.getByLabel('What it is for')
  const kept = page.getByText('Your changes from before are still here, not saved yet')
  await expect(purpose).toHaveValue('Articles for the company blog and guest posts.')
  await purpose.fill('Articles for the blog, read by marketing first.')
  // To the board and back: the words are still in the form, and it says they are not saved.
  await nav('Board')
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
  await nav('Settings')
  await expect(purpose).toHaveValue('Articles for the blog, read by marketing first.')
  await expect(kept).toBeVisible()
  // Another type, then back: the same.
  await panel.getByRole('button', { name: /^Client proposal/ }).click()
  await expect(page.getByRole('form', { name: 'Edit “Client proposal”' })).toBeVisible()
  await expect(kept).toHaveCount(0)
  // The list marks the type that holds them, and only that one.
  await expect(panel.getByRole('button', { name: /^Blog article/ })).toContainText('unsaved changes')
  await expect(panel.getByText('unsaved changes')).toHaveCount(1)
  await panel.getByRole('button', { name: /^Blog article/ }).click()
  await expect(purpose).toHaveValue('Articles for the blog, read by marketing first.')
  // Discard ends them: the type as it is, and nothing kept the next time.
  await blog.getByRole('button', { name: 'Discard changes' }).click()
  await expect(purpose).toHaveValue('Articles for the company blog and guest posts.')
  await expect(kept).toHaveCount(0)
  await nav('Board')
  await nav('Settings')
  await expect(purpose).toHaveValue('Articles for the company blog and guest posts.')
  await expect(kept).toHaveCount(0)
  await expect(panel.getByText('unsaved changes')).toHaveCount(0)

  // A new type half filled in waits too; once created, New output type opens empty again.
  await panel.getByRole('button', { name: 'New output type' }).click()
  const creating = page.getByRole('form', { name: 'New output type' })
  await creating.getByLabel('Name').fill('Release notes')
  await nav('Board')
  await nav('Settings')
  await panel.getByRole('button', { name: 'New output type' }).click()
  await expect(creating.getByLabel('Name')).toHaveValue('Release notes')
  await expect(kept).toBeVisible()
  await creating.getByRole('button', { name: 'Create type' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Release notes”.' })).toBeVisible()
  await panel.getByRole('button', { name: 'New output type' }).click()
  await expect(creating.getByLabel('Name')).toHaveValue('')
  await expect(kept).toHaveCount(0)
})

test('members: roles, the last admin is kept, and a new member gets an id', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  await page.getByRole('tab', { name: 'Members' }).click()
  const panel = page.getByRole('tabpanel', { name: 'Members' })
  await panel.getByRole('checkbox', { name: 'Admin: Ada Lovelace' }).click()
  await expect(panel.getByRole('alert')).toContainText('Ada Lovelace is the last admin')
  await expect(panel.getByRole('checkbox', { name: 'Admin: Ada Lovelace' })).toBeChecked()

  // Adding a member without a name says so; the field's name stays "Name".
  await panel.getByRole('button', { name: 'Add member' }).click()
  const memberName = panel.getByRole('textbox', { name: 'Name', exact: true })
  await expect(memberName).toHaveAttribute('aria-invalid', 'true')
  await expect(memberName).not.toHaveAccessibleDescription('')
  await expect(memberName).toBeFocused()
  await memberName.fill('Bea Reviewer')
  await panel.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Author' }).uncheck()
  await panel.getByRole('button', { name: 'Add member' }).click()
  await expect(panel.getByRole('status')).toContainText(/Added Bea Reviewer \(member id m\w{16}\)/)
  await expect(panel.getByRole('row', { name: /Bea Reviewer/ }).getByText(/^m\w{16}$/)).toBeVisible()
  await panel.getByRole('checkbox', { name: 'Admin: Bea Reviewer' }).check()
  await panel.getByRole('checkbox', { name: 'Admin: Ada Lovelace' }).uncheck()
  await expect(panel.getByRole('checkbox', { name: 'Admin: Ada Lovelace' })).not.toBeChecked()
  // No longer an admin: the form turns read-only and says why.
  await expect(panel.getByText('Only admins can change this; ask an admin of this workspace.')).toBeVisible()
  await expect(panel.getByRole('checkbox', { name: 'Admin: Bea Reviewer' })).toBeDisabled()
})

test('the focus goes to the first field refused; a length limit that is not a whole number is refused, not saved as "no limit"', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  const panel = page.getByRole('tabpanel', { name: 'Output types' })
  await panel.getByRole('button', { name: /^Internal summary/ }).click()
  const form = page.getByRole('form', { name: 'Edit “Internal summary”' })
  const min = form.getByLabel('Minimum characters')
  const max = form.getByLabel('Maximum characters')
  // A group refused as a whole: the focus goes to its first box, not nowhere.
  const roles = form.getByRole('group', { name: 'Roles that may approve' })
  for (const role of ['Reviewer', 'Approver', 'Admin'])
    await roles.getByRole('checkbox', { name: role }).uncheck()
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(roles.getByRole('checkbox', { name: 'Author' })).toBeFocused()
  await roles.getByRole('checkbox', { name: 'Approver' }).check()
  await min.fill('-5')
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(form.getByRole('alert')).toContainText('One thing needs fixing')
  const message = 'The minimum length is a whole number of characters; leave it empty for no minimum.'
  await expect(min).toHaveAccessibleDescription(message)
  await expect(min).toHaveAttribute('aria-invalid', 'true')
  await expect(min).toBeFocused()
  await expect(min).toHaveValue('-5')
  await expect(max).not.toHaveAttribute('aria-invalid', 'true')

  // Text the number field cannot read at all (a lone minus) is refused too, not taken as empty.
  await min.fill('')
  await min.pressSequentially('-')
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(min).toHaveAccessibleDescription(message)
  await expect(min).toBeFocused()

  await min.fill('250')
  await max.fill('2.5')
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(max).toHaveAccessibleDescription(
    'The maximum length is a whole number of characters; leave it empty for no maximum.',
  )
  await expect(max).toBeFocused()

  await max.fill('')
  await form.getByRole('button', { name: 'Save type' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Internal summary”.' })).toBeVisible()
  await panel.getByRole('button', { name: /^Pricing update/ }).click()
  await panel.getByRole('button', { name: /^Internal summary/ }).click()
  await expect(min).toHaveValue('250')
  await expect(max).toHaveValue('')
})

test('Sync: a refused relay address or token is marked and takes the focus; Connect and Disconnect keep the focus in the section', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await page.getByRole('tab', { name: 'Sync & hosting' }).click()
  const address = page.getByLabel('Relay address')
  const token = page.getByLabel('Your token on that relay')
  const connect = page.getByRole('button', { name: 'Connect', exact: true })
  await address.fill('relay.example.com')
  await token.fill('x')
  await connect.click()
  const notAddress =
    '“relay.example.com” is not a relay address: one looks like ws://192.168.1.20:4455 or wss://relay.example.com.'
  await expect(address).toBeFocused()
  await expect(address).toHaveAttribute('aria-invalid', 'true')
  await expect(address).toHaveAccessibleDescription(notAddress)
  await address.fill('ws://127.0.0.1:1')
  await token.fill('')
  await connect.click()
  await expect(token).toBeFocused()
  await expect(token).toHaveAccessibleDescription('Paste a token the relay issued for you in this workspace.')
  await expect(address).not.toHaveAttribute('aria-invalid', 'true')
  // Connected (to a relay that is not there: offline, and said so); the form is gone, and the focus
  // is on the section's heading rather than the page.
  await token.fill('x')
  await connect.click()
  await expect(page.getByRole('heading', { name: 'Relay', exact: true })).toBeFocused()
  await expect(
    page.getByText('Cannot reach the relay at ws://127.0.0.1:1; working offline.').first(),
  ).toBeVisible()
  await page.getByRole('button', { name: 'Disconnect from the relay' }).click()
  await expect(address).toBeFocused()
})
