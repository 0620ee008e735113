import { expect, test } from './fixtures/app.ts'
import { action, checklistItem } from './fixtures/screens.ts'
import { twoMemberTest } from './fixtures/two-members.ts'

/**
 * Decisions stand when roles change, two members through a real relay: Bea approves; Ada, an
 * admin, then takes Bea's roles (she is leaving). On both screens the output stays
 * approved with Bea's approval counted, and the Members tab says what taking a role means.
 */
twoMemberTest(
  'an approval stands after its giver loses the roles that gave it',
  {
    roles: ['Reviewer', 'Approver'],
    output: { title: 'Handover note', content: 'The keys are with Sam.' },
    words: 'with Sam',
  },
  async ({ ada, bea }) => {
    const item = checklistItem(bea, 'Matches the source')
    await item.getByRole('radio', { name: 'Pass' }).check()
    await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
    await action(bea, 'Approve').click()
    for (const page of [ada, bea])
      await expect(page.getByText('Approved', { exact: true })).toBeVisible({ timeout: 20_000 })

    // Ada takes Bea's reviewer and approver roles (either may approve this type), by keyboard.
    await ada.getByRole('button', { name: 'Settings', exact: true }).click()
    await ada.getByRole('tab', { name: 'Members' }).click()
    const panel = ada.getByRole('tabpanel', { name: 'Members' })
    await expect(panel).toContainText('A role taken away counts from now on')
    for (const role of ['Reviewer', 'Approver']) {
      const box = panel.getByRole('checkbox', { name: `${role}: Bea Reviewer` })
      await box.focus()
      await ada.keyboard.press('Space')
      await expect(box).not.toBeChecked()
    }

    // Her approval still counts, on both screens, once Bea's app has the change.
    await ada.getByRole('button', { name: 'Board', exact: true }).click()
    await ada.getByRole('button', { name: 'Handover note', exact: true }).click()
    for (const page of [ada, bea]) {
      await expect(page.getByText('Approved', { exact: true })).toBeVisible({ timeout: 20_000 })
      await expect(page.getByRole('region', { name: 'Approvals' })).toContainText('Bea Reviewer')
    }
    await bea.screenshot({ path: test.info().outputPath('roles-over-time-bea.png'), fullPage: true })
  },
)
