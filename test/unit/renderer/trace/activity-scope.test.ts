import { describe, expect, it } from 'vitest'
import { activityScope } from '../../../../renderer/src/trace/WorkspaceTrace.tsx'

describe('Activity’s scope sentence', () => {
  it('reads as English for one, two, all and some of the outputs', () => {
    expect(activityScope(1, 10)).toBe('in the one output')
    expect(activityScope(2, 10)).toBe('across both outputs')
    expect(activityScope(7, 10)).toBe('across all 7 outputs')
    expect(activityScope(25, 10)).toBe('across the 10 most recently changed of 25 outputs')
  })
})
