/**
 * This machine's half of each destination (folder paths, URLs, credentials), per workspace and
 * destination id, in one JSON file in the data folder. Writes are atomic (temp file, fsync,
 * rename) and queued; secret fields are stored encrypted by the SecretBox and never listed.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import {
  type DestinationConfig,
  type DestinationConfigInput,
  destinationConfigSchema,
  isDestinationKind,
  secretFields,
} from '../../../shared/publish/destinations.ts'
import { describeProblems, settingsProblems } from '../../../shared/publish/kinds/problems.ts'
import { errnoCode } from './errors.ts'
import type { SecretBox } from './secrets.ts'

export const DESTINATIONS_FILE = 'publish-destinations.json'

export interface DestinationListing {
  workspaceId: string
  destinationId: string
  kind: DestinationConfig['kind']
  /** The config with secret fields replaced by whether they are set. */
  config: Record<string, unknown>
}

export interface DestinationStore {
  get(workspaceId: string, destinationId: string): Promise<DestinationConfig | undefined>
  /**
   * Validates (throws a readable error on bad input, naming each refused field) and stores; fills
   * in defaults. A secret field left out keeps the stored secret.
   */
  set(
    workspaceId: string,
    destinationId: string,
    config: DestinationConfigInput | SecretsOptional,
  ): Promise<DestinationConfig>
  /**
   * The settings `set` would store, without storing them: validated, defaults filled in, a secret
   * left out taken from the stored settings. For a test before saving.
   */
  resolve(
    workspaceId: string,
    destinationId: string,
    config: DestinationConfigInput | SecretsOptional,
  ): Promise<DestinationConfig>
  delete(workspaceId: string, destinationId: string): Promise<boolean>
  list(workspaceId: string): Promise<DestinationListing[]>
}

/** Settings as edited: secret fields may be left out to keep the stored ones. */
export type SecretsOptional =
  | Omit<Extract<DestinationConfigInput, { kind: 'webhook' }>, 'secret'>
  | Omit<Extract<DestinationConfigInput, { kind: 'email' }>, 'password'>

const fileSchema = z.object({
  v: z.literal(1),
  entries: z.record(z.string(), z.record(z.string(), z.unknown())),
})
type StoreFile = z.infer<typeof fileSchema>

const keyOf = (workspaceId: string, destinationId: string) => JSON.stringify([workspaceId, destinationId])

export function createDestinationStore(options: { dataDir: string; secrets: SecretBox }): DestinationStore {
  const file = join(options.dataDir, DESTINATIONS_FILE)
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => {})
    return next
  }

  async function load(): Promise<StoreFile> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return { v: 1, entries: {} }
      throw e
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      raw = undefined
    }
    const parsed = fileSchema.safeParse(raw)
    if (!parsed.success)
      throw new Error(
        `The destinations file ${file} is damaged; it was left as it is. It holds this machine's settings of each destination (folders, addresses, secrets): move it away and enter them again, or restore it from a backup.`,
      )
    return parsed.data
  }

  async function save(data: StoreFile): Promise<void> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      const fh = await open(temp, 'wx', 0o600)
      try {
        await fh.writeFile(`${JSON.stringify(data, null, 2)}\n`)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(temp, file)
    } catch (e) {
      await unlink(temp).catch(() => {})
      throw e
    }
  }

  function open_(stored: Record<string, unknown>): DestinationConfig {
    const kind = stored.kind as DestinationConfig['kind']
    const plain: Record<string, unknown> = { ...stored }
    for (const f of secretFields(kind) ?? []) {
      const v = stored[f]
      plain[f] = typeof v === 'string' && v !== '' ? options.secrets.decrypt(v) : ''
    }
    return destinationConfigSchema.parse(plain)
  }

  /** `input` validated, with the secrets it leaves out taken from `before` (the stored entry). */
  function merge(
    before: Record<string, unknown> | undefined,
    input: DestinationConfigInput | SecretsOptional,
  ): DestinationConfig {
    // A secret left out keeps the one stored, so settings can be edited without re-entering it.
    const merged: Record<string, unknown> = { ...input }
    if (before && before.kind === input.kind)
      for (const f of secretFields(input.kind))
        if (merged[f] === undefined && typeof before[f] === 'string' && before[f] !== '')
          merged[f] = options.secrets.decrypt(before[f])
    const parsed = destinationConfigSchema.safeParse(merged)
    if (!parsed.success) {
      const kind = merged.kind
      throw new Error(
        isDestinationKind(kind)
          ? `The destination settings are not valid. ${describeProblems(kind, settingsProblems(kind, merged))}`
          : `The destination settings are not valid: there is no destination kind ${JSON.stringify(String(kind))}.`,
      )
    }
    return parsed.data
  }

  return {
    resolve: (workspaceId, destinationId, input) =>
      serial(async () => merge((await load()).entries[keyOf(workspaceId, destinationId)], input)),
    get: (workspaceId, destinationId) =>
      serial(async () => {
        const stored = (await load()).entries[keyOf(workspaceId, destinationId)]
        return stored ? open_(stored) : undefined
      }),
    set: (workspaceId, destinationId, input) =>
      serial(async () => {
        const data = await load()
        const key = keyOf(workspaceId, destinationId)
        const config = merge(data.entries[key], input)
        const stored: Record<string, unknown> = { ...config }
        for (const f of secretFields(config.kind)) {
          const v = stored[f]
          stored[f] = typeof v === 'string' && v !== '' ? options.secrets.encrypt(v) : ''
        }
        data.entries[key] = stored
        await save(data)
        return config
      }),
    delete: (workspaceId, destinationId) =>
      serial(async () => {
        const data = await load()
        const key = keyOf(workspaceId, destinationId)
        if (!(key in data.entries)) return false
        delete data.entries[key]
        await save(data)
        return true
      }),
    list: (workspaceId) =>
      serial(async () => {
        const data = await load()
        const out: DestinationListing[] = []
        for (const [key, stored] of Object.entries(data.entries)) {
          const [ws, dest] = JSON.parse(key) as [string, string]
          if (ws !== workspaceId) continue
          const kind = stored.kind as DestinationConfig['kind']
          const config: Record<string, unknown> = { ...stored }
          for (const f of secretFields(kind) ?? [])
            config[f] = { set: stored[f] !== '' && stored[f] !== undefined }
          out.push({ workspaceId: ws, destinationId: dest, kind, config })
        }
        return out
      }),
  }
}
