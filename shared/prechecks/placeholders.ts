import { findingsResult, MAX_MATCHES, type PreCheckResult } from './result.ts'
import { BOUNDARY_AFTER, BOUNDARY_BEFORE, builtOnce, caseInsensitive, listed, scan } from './text.ts'

const tells = builtOnce(
  () =>
    new RegExp(
      caseInsensitive(
        `${BOUNDARY_BEFORE}(?:${[
          String.raw`as an ai\s+(?:language\s+model|model|assistant|chatbot)`,
          String.raw`as a (?:large\s+)?language\s+model`,
          String.raw`(?:my|the)\s+(?:last\s+)?knowledge\s+cut-?off`,
          String.raw`i (?:cannot|can't|can’t|am unable to)\s+(?:browse|access)\s+(?:the\s+)?(?:internet|real-time)`,
          String.raw`regenerate\s+response`,
          String.raw`lorem\s+ipsum`,
        ].join('|')})${BOUNDARY_AFTER}|${[
          String.raw`\[\s?(?:insert|your|add|enter|placeholder|company|client|customer|name|link|url|date|todo|tbd)\b[^\]\n]{0,100}\]`,
          String.raw`<\s?(?:insert|your)\b[^>\n]{0,100}>`,
          String.raw`\{\{[^{}\n]{0,100}\}\}`,
        ].join('|')}`,
      ),
      'gu',
    ),
)
/** Case-sensitive: "todo" is Spanish for "all"; "TODO" is a leftover. */
const MARKERS = new RegExp(`${BOUNDARY_BEFORE}(?:TODO|FIXME|TBD|TKTK|XXX)${BOUNDARY_AFTER}`, 'gu')

/**
 * Gaps a template or a model left to fill: `[PRICE]`, `[LAUNCH_DATE]` (capitals in brackets that
 * are not a Markdown link's text), `[citation needed]`/`[source]`, and merge fields in the styles
 * mail tools use: `{first_name}`, `{firstName}`, `*|FNAME|*`, `%FIRST_NAME%`.
 */
const gaps = builtOnce(
  () =>
    new RegExp(
      [
        String.raw`\[[A-Z][A-Z0-9]*(?:[ _-][A-Z0-9]+)*\](?![(\[:])`,
        caseInsensitive(String.raw`\[\s?(?:citation|source|reference|ref)s?(?:\s+needed)?\s?\]`),
        String.raw`(?<!\{)\{[A-Za-z][a-z0-9]*(?:_[A-Za-z0-9]+|[A-Z][a-z0-9]+)*\}(?!\})`,
        String.raw`\*\|[A-Z][A-Z0-9_]*\|\*`,
        '%[A-Z][A-Z0-9]*_[A-Z0-9_]*%',
      ].join('|'),
      'gu',
    ),
)

/** A front-matter block (`---`, `key: value` lines, `---`) left at the top of the content. */
const FRONT_MATTER =
  /^\uFEFF?---[ \t]*\r?\n(?:[ \t]*(?:#.*|[A-Za-z_][\w-]*[ \t]*:.*|-[ \t].*)?\r?\n)*?---[ \t]*(?:\r?\n|$)/u

/** Words a one-word `{field}` is a merge field for; other lone words in braces are left alone. */
const MERGE_WORDS = new Set(
  'name first last firstname lastname fullname email company organisation organization city country address phone date price amount product title role team recipient sender customer client'.split(
    ' ',
  ),
)

/** `{x}` is a set or a variable in prose about maths or code; `{first_name}` and `{name}` are gaps. */
function isMergeField(text: string): boolean {
  if (!text.startsWith('{')) return true
  const inner = text.slice(1, -1)
  return inner.includes('_') || /[a-z][A-Z]/.test(inner) || MERGE_WORDS.has(inner.toLowerCase())
}

export function checkPlaceholders(content: string): PreCheckResult {
  const a = scan(tells(), content)
  const b = scan(MARKERS, content)
  const c = scan(gaps(), content, (m) => (isMergeField(m[0]) ? { text: m[0], index: m.index } : null))
  const fm = FRONT_MATTER.exec(content)
  const d = fm ? { matches: [{ text: fm[0].trim(), index: 0 }], count: 1 } : { matches: [], count: 0 }
  const matches = [...a.matches, ...b.matches, ...c.matches, ...d.matches]
    .sort((x, y) => x.index - y.index)
    .slice(0, MAX_MATCHES)
  const count = a.count + b.count + c.count + d.count
  return findingsResult(
    'placeholders',
    'No placeholders or AI leftovers',
    { matches, count },
    () => `Found ${count === 1 ? 'a leftover' : `${count} leftovers`}: ${listed(matches, count)}.`,
    'No placeholders, “TODO”s or AI boilerplate found.',
  )
}

// ---------------------------------------------------------------------------------------------
// Links
