import { describe, expect, it } from 'vitest'
import { renderedDiff } from '../../../shared/trace/rendered-diff.ts'

describe('the rendered diff (round two)', () => {
  it('renders Markdown with added and removed words marked, headings and lists intact', () => {
    const before = '## Pricing\n\nThe price is **29 EUR** per month.\n\n- one\n- two\n'
    const now = '## New pricing\n\nThe price is **31 EUR** per month.\n\n- one\n- two\n- three\n'
    const d = renderedDiff(before, now)
    expect(d.html).toContain(
      '<h2><del class="diff-del">Pricing</del><ins class="diff-ins">New pricing</ins></h2>',
    )
    expect(d.html).toContain(
      '<strong><del class="diff-del">29</del><ins class="diff-ins">31</ins> EUR</strong>',
    )
    expect(d.html).toMatch(/<li><ins class="diff-ins">three<\/ins><\/li>/)
    expect(d).toMatchObject({ added: 5, removed: 2, approximate: false })
  })

  it('a removed line shows where it was, struck through', () => {
    const d = renderedDiff('# Title\n\nKeep this.\n\nDrop this line.\n', '# Title\n\nKeep this.\n')
    expect(d.html).toContain('<del class="diff-del">Drop this line.</del>')
  })

  it('a change inside a link address leaves the link well-formed', () => {
    const d = renderedDiff('See [docs](https://example.com/a).', 'See [docs](https://example.com/b).')
    expect(d.html).toContain('<a href="https://example.com/')
    expect(d.html).not.toMatch(/href="[^"]*<(ins|del)/)
    expect(d.html).not.toMatch(/[\uE000-\uE003]/)
  })

  it('hostile HTML stays text, and content cannot forge the change marks', () => {
    const d = renderedDiff(
      'Hello.',
      'Hello. <script>alert(1)</script><img src=x onerror=alert(2)> \uE000fake\uE001',
    )
    expect(d.html).not.toMatch(/<script|<img/i)
    expect(d.html).toContain('&lt;script&gt;')
    expect(d.html.match(/<ins/g)?.length).toBe(1)
    expect(d.html).toContain('fake')
  })
})
