/**
 * Every member-written string the app shows goes through `stripBidi` (shared/bidi.ts); the CSS
 * also isolates such strings (`unicode-bidi: isolate`) so right-to-left titles stay in their own
 * box.
 */
export { stripBidi } from '../../../shared/bidi.ts'
