import { expect, test } from './fixtures/app.ts'
import { firstRun, newOutput } from './fixtures/screens.ts'

/**
 * Every screen a person reaches from the header, each Settings tab and the output view (source,
 * preview, side by side, History): no visible control without an accessible name, and nothing
 * logged as an error or warning on the way (a missing file, a React warning, an uncaught error).
 */
test('every screen names its controls and logs no error', async ({ openApp }) => {
  test.setTimeout(120_000)
  const page = await openApp()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  await firstRun(page)
  await newOutput(page, {
    title: 'Weekly notes',
    content: '# Decisions\n\nShip on **Friday**.\n\n- one\n- two',
  })
  const screens = ['Board', 'Insight', 'Shipped', 'Activity', 'Settings']
  const report: string[] = []
  const crawl = async (label: string) => {
    // A string, as the test project has no DOM types: the page's own controls, by what names them.
    const unnamed = (await page.evaluate(`(() => {
      const out = []
      for (const el of document.querySelectorAll('a,button,input,select,textarea,[tabindex],[role=button],[role=tab]')) {
        if (el.closest('[hidden],[aria-hidden=true]')) continue
        const r = el.getBoundingClientRect()
        if (r.width === 0 && r.height === 0) continue
        const by = el.getAttribute('aria-labelledby')
        const name = (el.getAttribute('aria-label') || (by && document.getElementById(by)?.textContent) ||
          el.textContent || el.labels?.[0]?.textContent || el.getAttribute('title') || el.placeholder || '').trim()
        if (!name) out.push(el.outerHTML.slice(0, 160))
      }
      return out
    })()`)) as string[]
    report.push(`== ${label}`, ...unnamed.map((html) => `${label}: ${html}`))
  }
  for (const s of screens) {
    await page.getByRole('button', { name: s, exact: true }).click()
    await page.waitForTimeout(500)
    await crawl(s)
  }
  for (const tab of await page.getByRole('tab').allTextContents()) {
    await page.getByRole('tab', { name: tab }).click()
    await page.waitForTimeout(300)
    await crawl(`Settings-${tab}`)
  }
  await page.getByRole('button', { name: 'Board', exact: true }).click()
  await page.getByRole('button', { name: 'Weekly notes', exact: true }).click()
  await page.waitForTimeout(500)
  await crawl('Output')
  for (const t of ['Preview', 'Side by side']) {
    await page.getByRole('button', { name: t, exact: true }).click()
    await page.waitForTimeout(300)
    await crawl(`Output-${t}`)
  }
  await page.getByRole('button', { name: 'History', exact: true }).click()
  await page.waitForTimeout(300)
  await crawl('History')
  expect(
    report.filter((line) => !line.startsWith('== ')),
    report.join('\n'),
  ).toEqual([])
  expect(errors).toEqual([])
})
