import { useCallback, useState } from 'react'
import { Kept } from '../state/kept.ts'

/**
 * Words typed into a field of an output (a reason, a note, a reply) and not used yet, kept while
 * the person is elsewhere (the board, another output) so that coming back finds them as left.
 * Keyed by what they belong to (an output's or a thread's id, which are unique); in this window's
 * memory only. Using them (the decision made, the reply sent) empties the field and forgets them.
 */
const drafts = new Kept<string>()

/** A field's text, kept under `key` while it holds words (plain state when there is no key). */
export function useDraft(key: string | undefined): [string, (value: string) => void] {
  const [value, setValue] = useState(() => (key ? drafts.get(key) : undefined) ?? '')
  const set = useCallback(
    (next: string) => {
      setValue(next)
      if (key) drafts.keep(key, next.trim() ? next : undefined)
    },
    [key],
  )
  return [value, set]
}
