// `signoff`: hand work to Signoff's review board from a script or a terminal.
//
//   signoff submit draft.md --type blog-article --source "model=gpt-x,tool=my-script"
//   signoff status o1234…
//
// It talks to the running app's local intake API (found through the app's data folder, or
// --url/--token, or SIGNOFF_INTAKE_URL/SIGNOFF_INTAKE_TOKEN).
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parseArgsInWords } from '../../../shared/command-line.ts'
import type { IntakeSource, Submission } from '../../../shared/host/intake.ts'
import { decodeText, parseIntakeFile } from '../../../shared/intake/parse.ts'
import { connect, formatStatus, getOutputStatus, IntakeClientError, submitOutput } from './client.ts'

const USAGE = `Usage:
  signoff submit <file|-> [--type TYPE] [--title TITLE] [--source "model=…,tool=…,prompt=…"]
                 [--tags a,b] [--due YYYY-MM-DD] [--workspace ID] [--json]
  signoff status <id> [--json]

Options for both: --data DIR (the app's data folder), --url URL --token TOKEN.
A file's front matter (or a .json envelope) may set title, type, source, tags and due;
options override it.`

/** "model=gpt-x,tool=t,prompt=…" → a source. A bare word is the model. */
export function parseSource(raw: string): IntakeSource {
  const source: IntakeSource = {}
  for (const part of raw.split(/,(?=\s*(?:model|tool|prompt)\s*=)/)) {
    const m = /^\s*(model|tool|prompt)\s*=\s*(.*)$/s.exec(part)
    if (m) source[m[1] as keyof IntakeSource] = m[2]!.trim()
    else if (part.trim()) source.model = part.trim()
  }
  return source
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** A file the CLI cannot read, in words (not "ENOENT: no such file or directory, open …"). */
function unreadable(path: string, error: unknown): IntakeClientError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT'
      ? 'there is no such file.'
      : code === 'EISDIR'
        ? 'it is a folder: name a file in it.'
        : code === 'EACCES' || code === 'EPERM'
          ? 'you may not read it.'
          : (error as Error).message
  return new IntakeClientError('bad_file', `${path}: ${why}`)
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        title: { type: 'string' },
        source: { type: 'string' },
        tags: { type: 'string' },
        due: { type: 'string' },
        workspace: { type: 'string' },
        data: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new IntakeClientError('usage', `${parseArgsInWords((error as Error).message)}\n\n${USAGE}`)
  }
}

export async function main(argv: string[], out = console.log): Promise<number> {
  const { values, positionals } = parseCommandLine(argv)
  const [command, arg] = positionals
  if (values.help || !command) {
    out(USAGE)
    return command || values.help ? 0 : 2
  }
  const conn = () =>
    connect({
      ...(values.url ? { url: values.url } : {}),
      ...(values.token ? { token: values.token } : {}),
      ...(values.data ? { dataDir: values.data } : {}),
    })
  if (command === 'submit') {
    if (!arg) throw new IntakeClientError('usage', `Name the file to submit (or - for stdin).\n\n${USAGE}`)
    const name = arg === '-' ? 'stdin.md' : basename(arg)
    let text: string
    if (arg === '-') text = await readStdin()
    else {
      const decoded = decodeText(
        await readFile(arg).catch((error: unknown) => Promise.reject(unreadable(arg, error))),
      )
      if (!decoded.ok) throw new IntakeClientError('bad_file', `${arg}: ${decoded.reason}`)
      text = decoded.text
    }
    const parsed = parseIntakeFile(/\.\w+$/.test(name) ? name : `${name}.txt`, text)
    if (!parsed.ok) throw new IntakeClientError('bad_file', `${arg}: ${parsed.reason}`)
    const v = parsed.value
    const type = values.type ?? v.type
    if (!type)
      throw new IntakeClientError(
        'usage',
        'Say which output type this is: --type <type id>, or "type:" in the front matter.',
      )
    const source = { ...v.source, ...(values.source ? parseSource(values.source) : {}) }
    const submission: Submission = {
      title: values.title ?? v.title,
      type,
      content: v.content,
      source: { ...source, tool: source.tool ?? 'signoff-cli' },
      tags: values.tags
        ? values.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : v.tags,
      ...((values.due ?? v.due) ? { due: values.due ?? v.due } : {}),
      ...(values.workspace ? { workspaceId: values.workspace } : {}),
    }
    const result = await submitOutput(await conn(), submission)
    if (values.json) out(JSON.stringify(result))
    else if (result.state === 'failed')
      out(`${result.id}\nStatus: failed: ${result.reason ?? 'it did not become an output'}`)
    else out(`${result.id}\nStatus: ${result.state} (workspace ${result.workspaceId})`)
    // A script can tell at once that its work will not be reviewed.
    return result.state === 'failed' ? 1 : 0
  }
  if (command === 'status') {
    if (!arg) throw new IntakeClientError('usage', `Name the output id.\n\n${USAGE}`)
    const status = await getOutputStatus(await conn(), arg)
    out(values.json ? JSON.stringify(status) : formatStatus(status))
    return 0
  }
  throw new IntakeClientError('usage', `Unknown command "${command}".\n\n${USAGE}`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      console.error(`signoff: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = error instanceof IntakeClientError && error.code === 'usage' ? 2 : 1
    },
  )
}
