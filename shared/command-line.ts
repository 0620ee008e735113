/**
 * Node's parseArgs refusals in words for a person at a terminal (signoff and the relay's CLI):
 * the option's name is what counts. Node's own "Unknown option '--typo'. To specify a positional
 * argument starting with a '-', place it at the end of the command after '--'…" buries it, and
 * "argument is ambiguous" does not say that a value starting with '-' needs '='.
 */
export function parseArgsInWords(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1]
  if (unknown) return `Unknown option ${unknown}.`
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message)?.[1]
  if (ambiguous)
    return `${ambiguous} needs a value; a value that starts with '-' is written ${ambiguous}=VALUE.`
  return message
}
