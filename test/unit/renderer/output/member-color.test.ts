import { describe, expect, it } from 'vitest'
import { memberColor } from '../../../../renderer/src/output/member-color.ts'

describe('member colour', () => {
  it('is stable for a member and differs between members', () => {
    expect(memberColor('m1')).toEqual(memberColor('m1'))
    const hues = new Set(['ada', 'bob', 'cy', 'dee', 'eve'].map((n) => memberColor(n).color))
    expect(hues.size).toBeGreaterThan(3)
  })

  it('gives a caret colour and a translucent selection colour', () => {
    const { color, colorLight } = memberColor('ada')
    expect(color).toMatch(/^hsl\(\d+ 65% 34%\)$/)
    expect(colorLight).toMatch(/\/ 0\.25\)$/)
  })
})
