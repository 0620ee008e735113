import type { z } from 'zod'

/**
 * Schema refusals in words for the person behind them: what they typed that is too long, and in
 * a submission from outside the app (the intake API, the MCP server, a JSON envelope), which
 * field is missing, of the wrong kind or unknown. Zod's own words ("Too big: expected string to
 * have <=200 characters") are for programmers.
 */

/** A count as a person reads it in a message: 2,000,000. */
export const count = (n: number): string => n.toLocaleString('en-US')

/** The arguments a person types, by key, as a message to them names them. */
const TYPED_TEXT: Record<string, string> = {
  body: 'text',
  replacement: 'suggested text',
  reason: 'reason',
  reasons: 'reason',
  note: 'note',
  title: 'title',
  content: 'content',
  prompt: 'prompt',
  model: 'model',
  tool: 'tool',
  tags: 'tag',
}

const BODY_OF: Record<string, string> = {
  addComment: 'comment',
  replyToThread: 'reply',
  suggestChange: 'note',
}

/**
 * Text a person typed that is longer than its limit (a comment, a suggestion, a reason), or more
 * of them than fit (reasons, one per line), is their doing, not a program's: said in words ("The
 * comment is 12,000 characters: at most 10,000 fit."),
 * instead of as a schema path. Anything else stays technical: no person typed it.
 */
export function tooLongInWords(issue: z.core.$ZodIssue, input: unknown): string | null {
  // A union says only "Invalid input"; what its branches found is inside, relative to it.
  if (issue.code === 'invalid_union') {
    for (const branch of issue.errors)
      for (const inner of branch) {
        const said = tooLongInWords({ ...inner, path: [...issue.path, ...inner.path] }, input)
        if (said) return said
      }
    return null
  }
  if (issue.code !== 'too_big' || (issue.origin !== 'string' && issue.origin !== 'array')) return null
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string' && p in TYPED_TEXT)
  if (!key) return null
  let value: unknown = input
  // The command the text belongs to names it better: a comment's body is "the comment".
  let command: unknown
  for (const p of issue.path) {
    const name = (value as { name?: unknown } | undefined)?.name
    if (typeof name === 'string') command = name
    value = (value as Record<PropertyKey, unknown> | undefined)?.[p]
  }
  const noun = key === 'body' ? (BODY_OF[String(command)] ?? TYPED_TEXT[key]) : TYPED_TEXT[key]
  if (issue.origin === 'array')
    return `There are ${Array.isArray(value) ? count(value.length) : 'too many'} ${noun}s: at most ${count(Number(issue.maximum))} fit. Put some together.`
  const has = typeof value === 'string' ? ` is ${count(value.length)} characters:` : ' is too long:'
  return `The ${noun}${has} at most ${count(Number(issue.maximum))} fit. Shorten it.`
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  array: 'a list',
  object: 'an object',
  number: 'a number',
  boolean: 'true or false',
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const p of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[p]
  return value
}

/**
 * One refusal of a submission in words, naming the field as it is spelled in the JSON
 * (`"source.model"`): "The title is 300 characters: at most 200 fit. Shorten it.", "\"type\" is
 * missing.", "\"tags\" must be a list.", "The submission has no field \"auther\".". A message
 * the schema words itself ("must be a date like 2026-12-31") follows the field's name.
 */
export function submissionIssueInWords(issue: z.core.$ZodIssue, input: unknown): string {
  const long = tooLongInWords(issue, input)
  if (long) return long
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'The submission'
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return `${where} is missing.`
      return `${where} must be ${EXPECTED[issue.expected] ?? issue.expected}.`
    case 'unrecognized_keys':
      return `${where} has no field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return `${where} must not be empty.`
      break
    case 'too_big':
      return `${where} must be at most ${count(Number(issue.maximum))}${issue.origin === 'string' ? ' characters' : ''}.`
  }
  return `${where} ${issue.message.replace(/\.?$/, '.')}`
}
