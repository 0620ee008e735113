import * as Y from 'yjs'
import { workspaceDocName } from '../../shared/docnames.ts'
import { client, synced, waitFor } from '../integration/relay/helpers.ts'
import { expect, test } from './fixtures/app.ts'
import { rewriteApproval } from './fixtures/mallory.ts'
import { newOutput, workspaceOnRelay } from './fixtures/screens.ts'

/**
 * Tamper evidence through the real app and relay: Ada approves an output; someone else with a
 * write token to the relay (a plain y-websocket client, as any script could be) rewrites the
 * approval in the shared trail. Ada's app stops counting it, the card leaves Approved, and the
 * History names the event and why. Settings lists her device key as trusted.
 */

test.setTimeout(120_000)

test('an approval edited in the shared document is caught, shown as unverified and not counted', async ({
  relay,
  openApp,
}) => {
  const ada = await openApp()
  const { workspaceId, token } = await workspaceOnRelay(ada, relay)

  // Her device key is registered with her and trusted.
  await ada.getByRole('tab', { name: 'Members' }).click()
  const devices = ada.getByRole('table', { name: 'Device keys' })
  await expect(devices.getByRole('row').filter({ hasText: '(this device)' })).toContainText('Trusted')
  await expect(devices).toContainText("Ada Lovelace's first device.")
  await ada.screenshot({ path: 'test-results/devices.png' })

  // Ada writes, submits, judges and approves an internal summary.
  await ada.getByRole('button', { name: 'Board', exact: true }).click()
  await newOutput(ada, { title: 'Weekly notes', content: 'Decisions: ship on Friday.', open: true })
  const action = (name: string) => ada.getByRole('button', { name, exact: true })
  await action('Submit for review').click()
  const item = ada.getByRole('group', { name: 'Matches the source' })
  await item.getByRole('radio', { name: 'Pass' }).check()
  await item.getByRole('button', { name: 'Save judgement on Matches the source' }).click()
  await action('Approve').click()
  await expect(ada.getByText('Approved', { exact: true })).toBeVisible()

  // Mallory has a write token and edits Ada's approval in the shared trail.
  const wsClient = client(relay.url, workspaceDocName(workspaceId), token('mallory'))
  await synced(wsClient)
  const outputs = wsClient.doc.getMap('outputs')
  await waitFor(() => outputs.size > 0, 'the output row')
  const outputId = [...outputs.keys()][0]!
  const outClient = await rewriteApproval(relay.url, workspaceId, outputId, token('mallory'))

  // Ada's app stops counting it.
  await expect(ada.getByText('In review', { exact: true })).toBeVisible({ timeout: 20_000 })
  await action('History').click()
  const history = ada.getByRole('dialog', { name: 'History of “Weekly notes”' })
  const timeline = history.getByRole('list', { name: 'Timeline' })
  const bad = timeline.getByRole('listitem').filter({ hasText: 'Unverified' })
  // The approval itself, and the judgement before it, which nothing verified vouches for now.
  await expect(bad).toHaveCount(2)
  await expect(bad.first()).toContainText('approved by Ada Lovelace is unverified')
  await expect(bad.first()).toContainText('Its signature does not match its content')
  await expect(bad.nth(1)).toContainText('judged by Ada Lovelace is unverified')
  await expect(bad.nth(1)).toContainText('does not verify, so nothing confirms this one is unchanged')
  await ada.screenshot({ path: 'test-results/tamper-history.png' })
  wsClient.destroy()
  outClient.destroy()
  // The document itself was not rewritten back: the record of the tampering stays.
  expect(Y.encodeStateAsUpdate(outClient.doc).length).toBeGreaterThan(0)
})
