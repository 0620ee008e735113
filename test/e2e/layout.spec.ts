import { expect, test } from './fixtures/app.ts'
import {
  action,
  approve,
  destination,
  firstRun,
  firstRunWithSharedDrive,
  newOutput,
  openSettings,
  profile,
} from './fixtures/screens.ts'

/** Layout faults a first team hit (issue 12 #15): measured in the browser, with screenshots. */

test('the first-run radios keep their size and the archived column scrolls only inside the board (#15)', async ({
  openApp,
}) => {
  const page = await openApp()
  await page.setViewportSize({ width: 1280, height: 720 })
  await profile(page, 'Ada Lovelace')
  // The template with a long description: its radio is as wide as the short one's, not squeezed.
  const small = page.getByRole('radio', { name: /Small team/ })
  const empty = page.getByRole('radio', { name: /Empty/ })
  const smallBox = (await small.boundingBox())!
  const emptyBox = (await empty.boundingBox())!
  expect(smallBox.width).toBeGreaterThanOrEqual(12)
  expect(smallBox.width).toBeCloseTo(emptyBox.width, 0)
  await page.screenshot({ path: 'test-results/first-run-templates.png' })

  await page.getByLabel('Workspace name').fill('Acme')
  await small.check()
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await expect(page.getByRole('button', { name: 'New output', exact: true })).toBeVisible()
  await page.getByLabel('Show rejected and archived').check()
  await expect(page.getByRole('region', { name: 'Rejected and archived', exact: true })).toBeAttached()
  // The columns scroll sideways inside the board; the page itself does not scroll (one scrollbar).
  const sizes = (await page.evaluate(
    `(() => { const d = document.scrollingElement; const c = document.querySelector('.columns'); return { page: d.scrollWidth - d.clientWidth, columns: c.scrollWidth - c.clientWidth } })()`,
  )) as { page: number; columns: number }
  expect(sizes.page).toBe(0)
  expect(sizes.columns).toBeGreaterThan(0)
  await page.screenshot({ path: 'test-results/archived-column.png' })
})

test('a header with a signing problem wraps to a second row; no button breaks over lines', async ({
  page,
  bridge,
}) => {
  // A page with the wrong secret: the host refuses it, so this device cannot sign.
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(bridge.url.replace(/secret=.*/, 'secret=wrong'))
  await firstRun(page)
  await expect(page.getByRole('alert').filter({ hasText: 'Not signing' })).toContainText('wrong secret')
  const buttons = [
    page.getByRole('button', { name: 'Try again' }),
    page.getByRole('button', { name: 'Make a new signing key…' }),
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'For me' }),
  ]
  const newOutput = (await page.getByRole('button', { name: 'New output', exact: true }).boundingBox())!
  for (const b of buttons) expect((await b.boundingBox())!.height).toBeLessThanOrEqual(newOutput.height + 1)
  const overflow = (await page.evaluate(
    `(() => { const h = document.querySelector('.app-header'); return h.scrollWidth - h.clientWidth })()`,
  )) as number
  expect(overflow).toBe(0)
  await page.screenshot({ path: 'test-results/header-signing-problem.png' })
})

test('an opened output shows its decision without scrolling, and a narrow header keeps its sync status', async ({
  openApp,
}) => {
  const page = await openApp()
  await firstRun(page)
  await newOutput(page, { title: 'Launch note', content: 'We launch on Monday.', open: true })
  const submit = action(page, 'Submit for review')
  const sync = page.getByRole('status', { name: 'Sync status' })
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1024, height: 600 },
  ]) {
    await page.setViewportSize(size)
    await page.evaluate('window.scrollTo(0, 0)')
    // All of the button, at once: the panel ends at the window's bottom, however far down it starts.
    await expect(submit).toBeInViewport({ ratio: 1 })
    // The header's second row is shown, not squeezed under the page by the tall output below it.
    await expect(sync).toBeInViewport({ ratio: 1 })
    const clipped = (await page.evaluate(
      `(() => { const h = document.querySelector('.app-header'); return h.scrollHeight - h.clientHeight })()`,
    )) as number
    expect(clipped).toBe(0)
  }
  await page.screenshot({ path: 'test-results/output-narrow.png' })
  // Scrolled down, the panel sticks to the top and still ends inside the window.
  await page.mouse.wheel(0, 400)
  await expect(submit).toBeInViewport({ ratio: 1 })

  // Narrower than 900 px the panel sits below the content, as tall as what it holds: no cap cuts
  // its checklist off behind the decision bar.
  await page.setViewportSize({ width: 800, height: 600 })
  const panel = page.getByRole('complementary', { name: 'Review' })
  const item = page.getByRole('group', { name: 'Matches the source' })
  await item.scrollIntoViewIfNeeded()
  await expect(item).toBeInViewport({ ratio: 1 })
  type Box = { scrollHeight: number; clientHeight: number } // the node type-check has no DOM
  const cut = await panel.evaluate(
    (el) => (el as unknown as Box).scrollHeight - (el as unknown as Box).clientHeight,
  )
  expect(cut).toBe(0)
  // Back to a wide window, it sticks and fits the window again.
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.evaluate('window.scrollTo(0, 0)')
  await expect(submit).toBeInViewport({ ratio: 1 })
})

test('the intake panels stand apart, as the sync panels do', async ({ openApp }) => {
  const page = await openApp()
  await firstRun(page)
  await openSettings(page)
  await page.getByRole('tab', { name: 'Intake' }).click()
  const [api, inbox] = await Promise.all(
    ['Local intake API', 'Inbox folder'].map(
      async (n) => (await page.getByRole('region', { name: n }).boundingBox())!,
    ),
  )
  expect(inbox!.y - (api!.y + api!.height)).toBeGreaterThanOrEqual(8)
})

test('at 1280 px the five columns from Draft to Published are in view, each card on its lines', async ({
  openApp,
}) => {
  const page = await openApp()
  await page.setViewportSize({ width: 1280, height: 720 })
  await firstRun(page)
  await newOutput(page, { title: 'Weekly team notes' })
  for (const name of ['Draft', 'In review', 'Changes requested', 'Approved', 'Published']) {
    const box = (await page.getByRole('region', { name, exact: true }).boundingBox())!
    expect(box.x, name).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width, name).toBeLessThanOrEqual(1280)
  }
  // Name, age and Move… share one line: Move… does not drop below the name.
  const card = page.locator('article.card', { hasText: 'Weekly team notes' })
  const name = (await card.locator('.card-person').boundingBox())!
  const move = (await card.getByRole('button', { name: /^Move .*…$/ }).boundingBox())!
  expect(Math.abs(name.y + name.height / 2 - (move.y + move.height / 2))).toBeLessThan(4)
  await page.screenshot({ path: 'test-results/board-1280.png' })
})

test('a long output type form keeps Save and Discard in view', async ({ openApp }) => {
  const page = await openApp()
  await page.setViewportSize({ width: 1280, height: 720 })
  await firstRun(page)
  await openSettings(page)
  await page.getByRole('tab', { name: 'Output types' }).click()
  await page
    .getByRole('tabpanel', { name: 'Output types' })
    .getByRole('button', { name: /^Internal summary/ })
    .click()
  const save = page.getByRole('button', { name: 'Save type' })
  await expect(save).toBeInViewport({ ratio: 1 })
  await expect(page.getByRole('button', { name: 'Discard changes' })).toBeInViewport({ ratio: 1 })
  // A field tabbed to near the bar is not hidden under it.
  const sla = page.getByLabel('Review SLA (hours)')
  await page.getByRole('checkbox', { name: /^Allow self-approval/ }).focus()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(sla).toBeFocused()
  const [field, bar] = [(await sla.boundingBox())!, (await save.boundingBox())!]
  expect(field.y + field.height).toBeLessThanOrEqual(bar.y)
})

test('in a narrow window the Shipped table scrolls sideways inside its own region, not the page', async ({
  openApp,
  folder,
}) => {
  const page = await openApp()
  await firstRunWithSharedDrive(page, folder)
  const title = 'Weekly notes with a rather long title that goes on'
  await newOutput(page, { title, content: 'Decisions: ship on Friday.' })
  await approve(page, title)
  await page.locator('article.card', { hasText: 'Weekly notes' }).dragTo(destination(page, 'Shared drive'))
  await expect(
    page.locator('section[data-column="published"] article.card', { hasText: title }),
  ).toBeVisible()
  await page.setViewportSize({ width: 760, height: 720 })
  await page.getByRole('button', { name: 'Shipped', exact: true }).click()
  const region = page.getByRole('region', { name: 'Publishes table' })
  await expect(region.getByRole('button', { name: `Printable receipt for ${title}` })).toBeAttached()
  const sizes = (await page.evaluate(
    `(() => { const d = document.scrollingElement; const r = document.querySelector('.tr-table-scroll'); return { page: d.scrollWidth - d.clientWidth, region: r.scrollWidth - r.clientWidth } })()`,
  )) as { page: number; region: number }
  expect(sizes.page).toBe(0)
  expect(sizes.region).toBeGreaterThan(0)
  // By keyboard: the region takes the focus, and the arrow keys scroll it.
  await region.focus()
  await page.keyboard.press('ArrowRight')
  // A string expression: the node type-check has no DOM.
  await expect
    .poll(() => page.evaluate(`document.querySelector('.tr-table-scroll').scrollLeft`))
    .toBeGreaterThan(0)
  // The title keeps a readable width: not one word per line.
  const link = region.getByRole('button', { name: title, exact: true })
  expect((await link.boundingBox())!.width).toBeGreaterThan(100)
  await page.screenshot({ path: 'test-results/shipped-narrow.png' })
})

test('a notice on an open output sits clear of the review panel, so it never covers a decision', async ({
  openApp,
}) => {
  const page = await openApp()
  await page.setViewportSize({ width: 1100, height: 700 })
  await firstRun(page)
  // The long title makes the "Created the draft …" notice two lines tall, as it covered
  // Request changes and Reject at the bottom right before.
  const title = 'Pricing brief with a rather long title that keeps going and going'
  await newOutput(page, { title, content: 'Decisions: ship on Friday.', open: true })
  await action(page, 'Submit for review').click()
  const notice = page.getByRole('region', { name: 'Notices' }).getByText(`Created the draft “${title}”.`)
  await expect(notice).toBeVisible()
  const panel = (await page.getByRole('complementary', { name: 'Review' }).boundingBox())!
  const box = (await page.getByRole('region', { name: 'Notices' }).boundingBox())!
  expect(box.height).toBeGreaterThan(40)
  expect(box.x + box.width).toBeLessThan(panel.x)
  // Nothing lies over the decisions: a trial click finds each ready at once, notice or not.
  for (const name of ['Request changes', 'Reject'])
    await action(page, name).click({ trial: true, timeout: 1000 })
  // Scrolled to its end, the page's last control, History, stands clear of the notice too.
  await page.mouse.move(300, 300)
  await page.mouse.wheel(0, 10_000)
  await action(page, 'History').click({ trial: true, timeout: 1000 })
  await expect(notice).toBeVisible()
  await page.screenshot({ path: 'test-results/output-notice.png' })

  // In a narrow window the decisions' bar spans the bottom: the notice stands on it.
  await page.setViewportSize({ width: 760, height: 700 })
  const bar = page.getByRole('region', { name: 'Decide' })
  await action(page, 'Reject').scrollIntoViewIfNeeded()
  await expect(notice).toBeVisible()
  await expect
    .poll(async () => {
      const [n, b] = [
        await page.getByRole('region', { name: 'Notices' }).boundingBox(),
        await bar.boundingBox(),
      ]
      return n && b ? b.y - (n.y + n.height) : -1
    })
    .toBeGreaterThanOrEqual(0)
  for (const name of ['Request changes', 'Reject'])
    await action(page, name).click({ trial: true, timeout: 1000 })
  await page.screenshot({ path: 'test-results/output-notice-narrow.png' })
  await page.setViewportSize({ width: 1100, height: 700 })

  // Elsewhere notices stay at the bottom right.
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await newOutput(page, { title: 'Second note', content: 'More notes.' })
  await expect(page.getByRole('region', { name: 'Notices' })).toContainText(
    'Created the draft “Second note”.',
  )
  const onBoard = (await page.getByRole('region', { name: 'Notices' }).boundingBox())!
  expect(onBoard.x + onBoard.width).toBeGreaterThan(1100 - 40)
})
