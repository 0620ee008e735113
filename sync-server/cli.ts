import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseArgsInWords } from '../shared/command-line.ts'
import { listenProblem } from '../shared/listen-problem.ts'
import type { ClusterNode } from './cluster/node.ts'
import { postgresError, serviceUrlProblem } from './cluster/service-errors.ts'
import { installCrashPolicy } from './crash-policy.ts'
import { LIMIT_KEYS, type Limits, limitFlag } from './limits.ts'
import { startRelay } from './relay.ts'
import { type RepairReport, repairDocument } from './repair.ts'
import { DB_FILE, openDatabase } from './store/db.ts'
import { JOURNAL_FILE, openJournal } from './store/journal.ts'
import { type DataDirLock, lockDataDir } from './store/lock.ts'
import { TokenStore } from './store/tokens.ts'
import { UpdateLog } from './store/update-log.ts'
import { syncWalFile } from './store/wal-sync.ts'

const USAGE = `Usage:
  relay [--port 4455] [--host 127.0.0.1] [--data ./relay-data] [--durability disk|process] [limit flags]
  relay token create --data DIR --workspace W --member M --access read|write
  relay token list   --data DIR [--workspace W]
  relay token revoke --data DIR --id ID
  relay doc repair   --data DIR --doc NAME   (with the relay stopped)

Cluster mode (N nodes behind a load balancer, see README "Running the relay as a cluster"):
  relay --database postgres://… --fanout redis://… [--port 4455] [--host H] [--node-id N] [limit flags]
  relay token create --database postgres://… [--fanout redis://…] --workspace W --member M --access read|write
  relay token list   --database postgres://… [--workspace W]
  relay token revoke --database postgres://… [--fanout redis://…] --id ID
  relay doc repair   --database postgres://… --doc NAME

Limit flags: ${LIMIT_KEYS.map((k) => `--${limitFlag(k)} N`).join(', ')}`

const limitOptions = Object.fromEntries(LIMIT_KEYS.map((k) => [limitFlag(k), { type: 'string' as const }]))

/** A mistake in the command line: said, with the usage. */
function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`)
  process.exit(2)
}

/** A command line that is right, about something that is not there: said, without the usage. */
function refuse(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/**
 * Commands that read a relay's data (list, revoke, repair) refuse a directory that holds none,
 * instead of creating an empty store there: a mistyped --data would otherwise list no tokens,
 * revoke nothing, and leave a new relay.sqlite behind.
 */
function requireRelayData(dataDir: string): void {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory())
    refuse(`${resolve(dataDir)} is a file, not a folder: --data names the relay's data folder.`)
  // A relay that crashed may have left its journal alone: that is data too (doc repair replays it).
  if (!existsSync(join(dataDir, DB_FILE)) && !existsSync(join(dataDir, JOURNAL_FILE)))
    refuse(
      `There is no relay data in ${resolve(dataDir)} (no ${DB_FILE} there): check --data, or start the relay there first.`,
    )
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        durability: { type: 'string' },
        workspace: { type: 'string' },
        member: { type: 'string' },
        access: { type: 'string' },
        id: { type: 'string' },
        doc: { type: 'string' },
        database: { type: 'string' },
        fanout: { type: 'string' },
        'node-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...limitOptions,
      },
    })
  } catch (error) {
    fail(parseArgsInWords((error as Error).message))
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv)
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const dataDir = values.data ?? './relay-data'
  for (const flag of ['database', 'fanout'] as const) {
    const value = values[flag]
    const problem = value === undefined ? undefined : serviceUrlProblem(flag, value)
    if (problem) fail(problem)
  }
  if (values.database !== undefined && positionals[0] === 'token')
    return clusterTokenCommand(positionals[1], positionals[2], values, values.database, values.fanout)
  if (values.database !== undefined && positionals[0] === 'doc')
    return clusterDocCommand(positionals[1], values.doc, values.database)
  if (positionals[0] === 'token') return tokenCommand(positionals[1], positionals[2], values, dataDir)
  if (positionals[0] === 'doc') return docCommand(positionals[1], values.doc, dataDir)
  if (positionals.length > 0) fail(`Unknown command: ${positionals.join(' ')}`)

  const limits: Partial<Limits> = {}
  for (const key of LIMIT_KEYS) {
    const raw = (values as Record<string, unknown>)[limitFlag(key)]
    if (typeof raw !== 'string') continue
    const n = Number(raw)
    if (!Number.isFinite(n) || n < 0) fail(`--${limitFlag(key)} must be a number ≥ 0`)
    limits[key] = n
  }
  const port = Number(values.port ?? 4455)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0–65535')
  if (values.database !== undefined || values.fanout !== undefined) {
    if (!values.database || !values.fanout) fail('cluster mode needs both --database and --fanout')
    if (values.data !== undefined || values.durability !== undefined)
      fail(
        '--data and --durability belong to the embedded relay; a cluster node keeps everything in PostgreSQL',
      )
    const { startClusterNode } = await import('./cluster/node.ts')
    const node = await listening(
      startClusterNode({
        port,
        host: values.host ?? '127.0.0.1',
        database: values.database,
        fanout: values.fanout,
        ...(values['node-id'] ? { nodeId: values['node-id'] } : {}),
        limits,
        log: (line) => process.stderr.write(`${line}\n`),
      }),
      port,
      values.host,
    )
    process.stdout.write(`Signoff relay node ${node.nodeId} listening on ${node.url} (cluster)\n`)
    return serveUntilSignal(() => node.close())
  }
  const durability = values.durability ?? 'disk'
  if (durability !== 'disk' && durability !== 'process') fail('--durability must be disk or process')
  const relay = await listening(
    startRelay({
      port,
      durability,
      host: values.host ?? '127.0.0.1',
      dataDir,
      limits,
      log: (line) => process.stderr.write(`${line}\n`),
    }),
    port,
    values.host,
  )
  process.stdout.write(`Signoff relay listening on ${relay.url} (data: ${dataDir})\n`)
  serveUntilSignal(() => relay.close())
}

/** A relay that could not take its address says which flag to change, in words. */
async function listening<T>(start: Promise<T>, port: number, host = '127.0.0.1'): Promise<T> {
  try {
    return await start
  } catch (err) {
    const portProblem = listenProblem(err, port, '--port')
    if (portProblem) refuse(portProblem)
    const code = (err as { code?: unknown }).code
    if (code === 'EADDRNOTAVAIL')
      refuse(`${host} is not an address of this machine: check --host (0.0.0.0 listens on all of them).`)
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      refuse(`${host} is not a host name or address this machine can resolve: check --host.`)
    throw err
  }
}

function serveUntilSignal(closeRelay: () => Promise<void>): void {
  installCrashPolicy({ log: (line) => process.stderr.write(`${line}\n`), shutdown: closeRelay })
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    closeRelay().then(
      () => {
        process.stdout.write(`Signoff relay stopped (${signal}); log flushed\n`)
        process.exit(0)
      },
      (err: unknown) => {
        process.stderr.write(`Signoff relay failed to stop cleanly: ${(err as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

type TokenValues = { workspace?: string; member?: string; access?: string; id?: string }

/**
 * Where `token create|list|revoke` keeps tokens (the cluster's PostgreSQL or the relay's SQLite),
 * and what happens once a token is revoked, with what the person is told about it.
 */
type TokenBackend = Pick<ClusterNode, 'createToken' | 'listTokens' | 'revokeToken'> & {
  revoked(id: string): Promise<string>
}

async function runTokenCommand(
  sub: string | undefined,
  positionalId: string | undefined,
  values: TokenValues,
  tokens: TokenBackend,
): Promise<void> {
  if (sub === 'create') {
    if (!values.workspace || !values.member) fail('token create needs --workspace and --member')
    const access = values.access ?? 'write'
    if (access !== 'read' && access !== 'write') fail('--access must be read or write')
    const { id, token } = await tokens.createToken({
      workspaceId: values.workspace,
      memberId: values.member,
      access,
    })
    process.stderr.write(
      `Token ${id} for ${values.member} (${access}) in workspace ${values.workspace}; shown once:\n`,
    )
    process.stdout.write(`${token}\n`)
  } else if (sub === 'list') {
    const listed = await tokens.listTokens(values.workspace)
    if (listed.length === 0)
      process.stderr.write(`No tokens${values.workspace ? ` in workspace ${values.workspace}` : ''}.\n`)
    for (const t of listed) {
      const when = new Date(t.createdAt).toISOString()
      process.stdout.write(
        `${t.id}\t${t.workspaceId}\t${t.memberId}\t${t.access}\t${when}\t${t.revoked ? 'revoked' : 'active'}\n`,
      )
    }
  } else if (sub === 'revoke') {
    const id = values.id ?? positionalId
    if (!id) fail('token revoke needs --id')
    if (!(await tokens.revokeToken(id))) refuse(`No active token with id ${id}: see relay token list.`)
    process.stdout.write(`${await tokens.revoked(id)}\n`)
  } else {
    fail(`Unknown token command: ${sub ?? '(none)'}`)
  }
}

/** Tell the cluster's nodes a token is revoked at once; without Redis their sweep finds it. */
async function announceRevoked(fanoutUrl: string, id: string): Promise<void> {
  const { Redis } = await import('ioredis')
  const r = new Redis(fanoutUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  })
  r.on('error', () => {})
  try {
    await r.connect()
    await r.publish('so:revoked', id)
  } catch {
    // the sweep covers it
  } finally {
    r.disconnect()
  }
}

async function clusterTokenCommand(
  sub: string | undefined,
  positionalId: string | undefined,
  values: TokenValues,
  database: string,
  fanoutUrl: string | undefined,
): Promise<void> {
  const pgModule = await import('pg')
  const pg = (pgModule as unknown as { default?: typeof pgModule }).default ?? pgModule
  const { PgStore } = await import('./cluster/pg-store.ts')
  const pool = new pg.Pool({ connectionString: database, max: 1 })
  const store = new PgStore(pool, 'cli')
  try {
    await store.migrate().catch((err: unknown) => refuse(postgresError(database, err).message))
    await runTokenCommand(sub, positionalId, values, {
      createToken: (args) => store.createToken(args),
      listTokens: (workspaceId) => store.listTokens(workspaceId),
      revokeToken: (id) => store.revokeToken(id),
      async revoked(id) {
        if (fanoutUrl) await announceRevoked(fanoutUrl, id)
        return `Revoked ${id}; every node drops its connections within two seconds`
      },
    })
  } finally {
    await pool.end()
  }
}

async function tokenCommand(
  sub: string | undefined,
  positionalId: string | undefined,
  values: TokenValues,
  dataDir: string,
): Promise<void> {
  // Tokens may be made before the relay's first start; the rest reads what is there.
  if (sub !== 'create') requireRelayData(dataDir)
  const db = openDatabase(dataDir)
  try {
    const tokens = new TokenStore(db)
    await runTokenCommand(sub, positionalId, values, {
      createToken: async (args) => tokens.create(args),
      listTokens: async (workspaceId) => tokens.list(workspaceId),
      revokeToken: async (id) => tokens.revokeToken(id),
      revoked: async (id) => `Revoked ${id}; a running relay drops its connections within seconds`,
    })
  } finally {
    db.close()
  }
}

function docCommand(sub: string | undefined, doc: string | undefined, dataDir: string): void {
  if (sub !== 'repair') fail(`Unknown doc command: ${sub ?? '(none)'}`)
  if (!doc) fail('doc repair needs --doc NAME')
  requireRelayData(dataDir)
  const db = openDatabase(dataDir)
  let lock: DataDirLock
  try {
    lock = lockDataDir(dataDir, 'repairing a document (it would overwrite the repaired checkpoint)')
  } catch (err) {
    db.close()
    fail((err as Error).message)
  }
  try {
    // A relay that crashed may have left updates in its journal: they go into the log first.
    const { journal, replayed } = openJournal(dataDir, new UpdateLog(db), () => syncWalFile(dataDir))
    journal.close()
    if (replayed > 0)
      console.log(`Wrote ${replayed} updates a crash left in ${JOURNAL_FILE} into the log first.`)
    printRepair(repairDocument(db, doc), dataDir)
  } finally {
    db.close()
    lock.release()
  }
}

/** Repair on the cluster's PostgreSQL; nodes may run (none loads a document that needs it). */
async function clusterDocCommand(sub: string | undefined, doc: string | undefined, database: string) {
  if (sub !== 'repair') fail(`Unknown doc command: ${sub ?? '(none)'}`)
  if (!doc) fail('doc repair needs --doc NAME')
  const pgModule = await import('pg')
  const pg = (pgModule as unknown as { default?: typeof pgModule }).default ?? pgModule
  const { PgStore } = await import('./cluster/pg-store.ts')
  const { repairPgDocument } = await import('./cluster/pg-repair.ts')
  const pool = new pg.Pool({ connectionString: database, max: 1, options: '-c synchronous_commit=on' })
  try {
    await new PgStore(pool, 'cli')
      .migrate()
      .catch((err: unknown) => refuse(postgresError(database, err).message))
    printRepair(await repairPgDocument(pool, doc), 'the database')
  } finally {
    await pool.end()
  }
}

function printRepair(r: RepairReport, where: string): void {
  if (r.rows === 0) refuse(`No updates for document ${r.doc} in ${where}: check the name (--doc).`)
  process.stdout.write(
    `Repaired ${r.doc}: ${r.rows} updates in the log, ${r.kept} kept, ${r.skipped.length} skipped now` +
      (r.alreadySkipped > 0 ? `, ${r.alreadySkipped} skipped by an earlier repair` : '') +
      '\n',
  )
  for (const s of r.skipped) {
    process.stdout.write(
      `  skipped seq ${s.seq} (member ${s.member}, ${new Date(s.time).toISOString()}): ${s.reason}\n`,
    )
  }
  if (r.skipped.length > 0)
    process.stdout.write(
      'The skipped rows stay in the log, marked; members whose edits were refused resend them when they reconnect.\n',
    )
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`Signoff relay: ${(err as Error).message}\n`)
  process.exit(1)
})
