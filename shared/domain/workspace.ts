import type * as Y from 'yjs'
import { type KeyRecord, type KeyTrust, parseKeyRecord, trustKeys } from './keys.ts'
import { workspaceMigrations } from './migrations.ts'
import type { Origin } from './origins.ts'
import {
  parseDestination,
  parseMember,
  parseOutputType,
  parseRemovedDestination,
  parseSummary,
  shownName,
} from './parse.ts'
import { PolicyBook, type PolicyVersion, parsePolicyVersion, policyHash, policyOf } from './policies.ts'
import type { DeviceKey, EventSigner } from './signing.ts'
import { SignoffDoc } from './signoff-doc.ts'
import { sameJson, Table } from './table.ts'
import type { Destination, Member, OutputSummary, OutputType, RemovedDestination } from './types.ts'

/** A summary row as it is stored (schema 3): JSON text. */
export function summaryText(summary: OutputSummary): string {
  return JSON.stringify(summary)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * Typed access to a workspace document: the index a board needs (members, output types,
 * destinations, one summary row per output). Every write goes through `transact` with an origin.
 */
export class Workspace extends SignoffDoc {
  readonly members: Table<Member>
  readonly types: Table<OutputType>
  readonly destinations: Table<Destination>
  /** Destinations an admin removed, by id: their names still label what went there. */
  readonly removedDestinations: Table<RemovedDestination>
  /**
   * Summary rows are plain values, written whole, cheap to hold by the ten thousand: since schema
   * 3 each is one JSON text (`summaryText`). Yjs decodes every string of a stored value on load
   * one by one, and a row as an object is some twenty (its keys too): a 10,000-output workspace
   * took ~170 ms to decode as objects and ~40 ms as text, parse included. Rows as objects (from
   * before schema 3, or an app that has not migrated yet) read the same.
   */
  readonly summaries: Y.Map<unknown>
  /**
   * Moves with every change to a summary row (added, replaced or removed), and only then: what is
   * computed from all 10,000 rows is computed again only when this moved.
   */
  summariesVersion = 0
  /** Members' device public keys (see keys.ts). */
  readonly keys: Table<KeyRecord>
  /** Every recorded version of every type's review policy, by hash (see policies.ts). */
  readonly policies: Y.Map<unknown>
  /** The device keys this process holds, by member id: the app's one, or several in tests. */
  private readonly keyring = new Map<string, DeviceKey>()
  /** Public halves by member id: the host's keys, and a window's (which signs nothing itself). */
  private readonly publicKeys = new Map<string, string>()
  private trustCache: Map<string, KeyTrust> | undefined
  private bookCache: PolicyBook | undefined
  private readonly policyHashes = new Map<string, string>()
  private readonly summaryCache = new WeakMap<object, OutputSummary | null>()
  /** Rows as text, parsed once per text: by output id, with the text the parse is of. */
  private readonly textCache = new Map<string, { raw: string; summary: OutputSummary | null }>()

  /** `migrate: false`: see SignoffDoc. */
  constructor(doc: Y.Doc, options: { migrate?: boolean } = {}) {
    super(doc, { migrations: workspaceMigrations, kind: 'workspace' }, options)
    this.members = new Table(doc.getMap('members'), parseMember)
    this.types = new Table(doc.getMap('types'), parseOutputType)
    this.destinations = new Table(doc.getMap('destinations'), parseDestination)
    this.removedDestinations = new Table(doc.getMap('removedDestinations'), parseRemovedDestination)
    this.summaries = doc.getMap('outputs')
    this.keys = new Table(doc.getMap('keys'), parseKeyRecord)
    this.policies = doc.getMap('policies')
    // Rows are plain values replaced whole, so a change to any is a change of this map.
    this.summaries.observe(() => {
      this.summariesVersion++
    })
    const forget = () => {
      this.trustCache = undefined
    }
    this.policies.observe(() => {
      this.bookCache = undefined
    })
    // A type's rules may name another type's (escalation): any type change forgets every hash.
    this.types.map.observeDeep(() => this.policyHashes.clear())
    this.keys.map.observeDeep(forget)
    this.members.map.observeDeep(forget)
    this.meta.observe(forget)
  }

  /** Hold a member's device key in this process, so the events it writes for them are signed. */
  holdKey(memberId: string, key: DeviceKey): void {
    this.keyring.set(memberId, key)
    this.publicKeys.set(memberId, key.publicKey)
  }

  /**
   * Know this device's key for a member by its public half only: a window, whose events the host
   * signs (shared/host/perform.ts). Enough to say whether they would count (`signingProblem`).
   */
  knowKey(memberId: string, publicKey: string): void {
    this.publicKeys.set(memberId, publicKey)
  }

  /** The public half of this device's key for the member, when known here. */
  heldPublicKey(memberId: string): string | undefined {
    return this.publicKeys.get(memberId)
  }

  signerFor(memberId: string): EventSigner | undefined {
    const key = this.keyring.get(memberId)
    return key ? { memberId, key } : undefined
  }

  /** Every registered device key and whether it is trusted; recomputed only after changes. */
  keyTrust(): Map<string, KeyTrust> {
    this.trustCache ??= trustKeys(this.id, this.keys.all(), this.memberMap())
    return this.trustCache
  }

  /**
   * Why events written here for this member would not count, or null: no key on this device, or
   * a key the workspace does not (yet) trust.
   */
  signingProblem(memberId: string): string | null {
    const publicKey = this.publicKeys.get(memberId)
    if (!publicKey) return 'This device holds no signing key for you, so nothing you record here would count.'
    const trust = this.keyTrust().get(publicKey)
    if (!trust) return 'This device’s signing key is not registered in the workspace yet.'
    if (trust.memberId !== memberId) return 'This device’s signing key is registered to another member.'
    if (!trust.trusted) return `This device’s signing key is not trusted: ${trust.why}`
    return null
  }

  /** The recorded policy versions; re-read only after the map changes. */
  policyBook(): PolicyBook {
    if (!this.bookCache) {
      const versions: PolicyVersion[] = []
      for (const [key, raw] of this.policies.entries()) {
        const v = parsePolicyVersion(key, raw)
        if (v) versions.push(v)
      }
      this.bookCache = new PolicyBook(versions)
    }
    return this.bookCache
  }

  /** The address of a type's rules as they stand now (recorded or not). */
  currentPolicy(typeId: string): string | undefined {
    const known = this.policyHashes.get(typeId)
    if (known) return known
    const type = this.types.get(typeId)
    if (!type) return undefined
    const hash = policyHash(policyOf(type, this.types.all()))
    this.policyHashes.set(typeId, hash)
    return hash
  }

  /**
   * Record the current version of a type's rules if the workspace does not hold it yet, and
   * return its address. Versions are content-addressed and never replaced, so two members
   * recording the same rules offline write the same entry. Call inside a transaction.
   */
  recordPolicy(typeId: string, by: string, at: number): string | undefined {
    const type = this.types.get(typeId)
    if (!type) return undefined
    const policy = policyOf(type, this.types.all())
    const hash = policyHash(policy)
    if (!this.policyBook().get(hash) && !this.policies.has(hash))
      this.policies.set(hash, { name: type.name, policy, at, by })
    return hash
  }

  /** Record the current version of every type (after a change that may touch several). */
  recordPolicies(by: string, at: number): void {
    for (const t of this.types.all()) this.recordPolicy(t.id, by, at)
  }

  /**
   * The name as people see it: any member with a write token can put anything in the document,
   * so a name is read as renameWorkspace writes it (no bidi controls, 120 characters at most):
   * it goes into every member's switcher and their saved list of workspaces.
   */
  get name(): string {
    const raw = this.meta.get('name')
    return typeof raw === 'string' ? shownName(raw, 'Untitled workspace') : 'Untitled workspace'
  }

  memberMap(): Map<string, Member> {
    return new Map(this.members.all().map((m) => [m.id, m]))
  }

  summary(outputId: string): OutputSummary | undefined {
    return this.rowSummary(outputId, this.summaries.get(outputId))
  }

  /** The summary a row's value stands for (a value it held before a change, too), if it is one. */
  rowSummary(outputId: string, raw: unknown): OutputSummary | undefined {
    let s: OutputSummary | null = null
    if (raw === this.summaries.get(outputId)) s = raw === undefined ? null : this.parsedSummary(outputId, raw)
    // A value it held before: parsed on its own, the cache keeps the current one.
    else if (typeof raw === 'string') s = parseSummary(parseJson(raw))
    else if (typeof raw === 'object' && raw !== null) s = parseSummary(raw)
    return s && s.id === outputId ? s : undefined
  }

  allSummaries(): OutputSummary[] {
    const out: OutputSummary[] = []
    for (const [key, raw] of this.summaries.entries()) {
      const s = this.parsedSummary(key, raw)
      if (s && s.id === key) out.push(s)
    }
    // Parses of rows since deleted: dropped once they are many.
    if (this.textCache.size > this.summaries.size + 1000)
      for (const key of this.textCache.keys()) if (!this.summaries.has(key)) this.textCache.delete(key)
    return out
  }

  /**
   * A row is a plain value, replaced whole when it changes: its parse is kept by the value (a
   * board asks for all 10,000 several times a render). Frozen as parseSummary builds it: it is shared.
   */
  private parsedSummary(key: string, raw: unknown): OutputSummary | null {
    if (typeof raw === 'string') {
      const hit = this.textCache.get(key)
      if (hit?.raw === raw) return hit.summary
      const summary = parseSummary(parseJson(raw))
      this.textCache.set(key, { raw, summary })
      return summary
    }
    if (typeof raw !== 'object' || raw === null) return null
    let s = this.summaryCache.get(raw)
    if (s === undefined) {
      s = parseSummary(raw)
      this.summaryCache.set(raw, s)
    }
    return s
  }

  /** Write a summary row if it changed. Call inside a transaction. */
  putSummary(summary: OutputSummary): void {
    const text = summaryText(summary)
    const raw = this.summaries.get(summary.id)
    if (typeof raw === 'string' ? raw !== text : !sameJson(raw, summary)) this.summaries.set(summary.id, text)
  }

  setName(origin: Origin, name: string): void {
    const trimmed = name.trim().slice(0, 120)
    if (!trimmed) throw new Error('A workspace needs a name.')
    this.transact(origin, () => this.meta.set('name', trimmed))
  }
}
