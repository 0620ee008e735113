import { z } from 'zod'
import { ID_PATTERN } from '../docnames.ts'
import type { HostDriftFlag, HostEvent } from './events.ts'
import type { CreatedInvite, HostingStarted, HostingStatus, InviteInfo } from './hosting.ts'
import type { InboxStatus, IntakeInfo, IntakeItem } from './intake.ts'
import { intakeAckSchema, intakeReportSchema, setInboxSchema } from './intake.ts'
import { tooLongInWords } from './issue-words.ts'
import type { MenuCommand } from './menu.ts'
import { HOST_METHOD_NAMES } from './method-names.ts'
import { type PerformResult, performInputSchema } from './perform.ts'
import {
  type DestinationSettings,
  type DestinationTest,
  type DriftCheck,
  destinationSettingsInputSchema,
  driftCheckInputSchema,
  type PublishResult,
  publishOutputInputSchema,
  type SecretStorageStatus,
} from './publishing.ts'
import { type HeldWorkspace, membershipSchema } from './workspaces.ts'

/**
 * The one typed boundary between the renderer and the host. Each method names the schema its
 * argument must satisfy (checked at runtime by every adapter: Electron IPC and the web bridge)
 * and, as a type only, what it returns. The renderer's client type and the host's handler type
 * are both derived from this map, so the API is written once.
 */
function method<Output>() {
  return <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output })
}

export interface AppInfo {
  name: string
  version: string
  platform: string
  /** 'electron' inside the desktop shell, 'web' behind the localhost bridge. */
  shell: 'electron' | 'web'
}

/**
 * This device's signing key for one workspace membership, as a window may know it: the public
 * half. The private half stays in the host, which signs what it appends for the member
 * (`perform`; electron/host/device-keys.ts, electron/host/signing/).
 */
export interface DeviceKeyInfo {
  publicKey: string
  /** A name for this device in the members list (the computer's name). */
  device: string
  /** Set when, at the person's request, an unreadable key file was moved aside and a new key made. */
  notice?: string
}

/** Settings → General "Keep running in the background" (electron/host/background.ts). */
export interface BackgroundSettings {
  keepRunning: boolean
  /** What it is when the person never chose: on for macOS, off elsewhere. */
  platformDefault: boolean
  /** The web shell's host runs as long as `npm run web` does: the setting applies to the desktop app. */
  shell: 'electron' | 'web'
}

const id = z.string().regex(ID_PATTERN, 'must be an id of letters, digits, - and _')
const access = z.enum(['read', 'write'])

export const hostMethods = {
  appInfo: method<AppInfo>()(z.undefined()),
  /**
   * This device's key for a membership. A key file that cannot be opened fails with a message,
   * never replaced; `replaceUnreadable: true` is the person's choice to move it aside and make a
   * new key (which must be confirmed again). It never replaces a key that can be read.
   */
  deviceKey: method<DeviceKeyInfo>()(
    z.object({ workspaceId: id, memberId: id, replaceUnreadable: z.boolean().optional() }).strict(),
  ),
  /**
   * Perform one signed command as a member (shared/host/perform.ts): the host runs it with the
   * same rules on its copy, signs what it appends with the key it holds, and answers with the
   * changes for the window, or a refusal in a sentence.
   */
  perform: method<PerformResult>()(performInputSchema),
  openExternal: method<{ opened: boolean; reason?: string }>()(z.string().max(2048)),
  /**
   * Show a desktop notification from the host (the OS's own, where the shell has one). `shown`
   * false means the shell has none (the web bridge): the page may show its own instead.
   */
  notify: method<{ shown: boolean }>()(
    z
      .object({ title: z.string().min(1).max(200), body: z.string().max(1000), tag: z.string().max(200) })
      .strict(),
  ),
  hostingStatus: method<HostingStatus>()(z.undefined()),
  startHosting: method<HostingStarted>()(
    z
      .object({ workspaceId: id, memberId: id, port: z.number().int().min(0).max(65535), lan: z.boolean() })
      .strict(),
  ),
  stopHosting: method<HostingStatus>()(z.undefined()),
  createInvite: method<CreatedInvite>()(z.object({ workspaceId: id, memberId: id, access }).strict()),
  listInvites: method<InviteInfo[]>()(id),
  revokeInvite: method<{ revoked: boolean }>()(z.string().min(1).max(128)),
  destinationSettings: method<DestinationSettings[]>()(id),
  saveDestinationSettings: method<DestinationSettings>()(destinationSettingsInputSchema),
  /** Check a destination's local settings (a folder this machine can write into) without saving. */
  testDestinationSettings: method<DestinationTest>()(destinationSettingsInputSchema),
  deleteDestinationSettings: method<{ deleted: boolean }>()(
    z.object({ workspaceId: id, destinationId: id }).strict(),
  ),
  secretStorageStatus: method<SecretStorageStatus>()(z.undefined()),
  generateWebhookSecret: method<string>()(z.undefined()),
  publishOutput: method<PublishResult>()(publishOutputInputSchema),
  checkDrift: method<DriftCheck>()(driftCheckInputSchema),
  /** Intake (shared/host/intake.ts): the local API's address and token, for Settings. */
  intakeInfo: method<IntakeInfo>()(z.undefined()),
  /** Spooled submissions for a workspace, oldest first (a bounded batch). */
  intakePending: method<IntakeItem[]>()(id),
  /** The renderer made (or could not make) the output: move the spool file on. */
  intakeAck: method<{ acknowledged: boolean }>()(intakeAckSchema),
  /** Where intake-created outputs stand, so `GET /outputs/:id` answers without the window. */
  intakeReportStatus: method<{ stored: number }>()(intakeReportSchema),
  setInbox: method<InboxStatus>()(setInboxSchema),
  inboxStatus: method<InboxStatus>()(id),
  /**
   * The window opened, created or joined a workspace (or its relay changed): the host remembers
   * the membership and, for one that syncs through a relay, keeps its own replica and runs its
   * background work from now on, window or not (see shared/host/workspaces.ts).
   */
  registerWorkspace: method<HeldWorkspace>()(membershipSchema),
  /**
   * The host's latest drift check of a held workspace's published files: only outputs whose files
   * no longer match (later changes come as `drift` host events).
   */
  driftFlags: method<Record<string, HostDriftFlag[]>>()(id),
  /**
   * The person left the workspace on this device: the host stops holding it for them (another
   * member who opened it here keeps theirs). A bare id stops holding it for every member.
   */
  forgetWorkspace: method<{ forgotten: boolean }>()(
    z.union([id, z.object({ workspaceId: id, memberId: id }).strict()]),
  ),
  /**
   * "Work offline" for a membership, or back online: the host's connection to the team's relay
   * for every document of the workspace (the windows sync only with the host). Answers whether
   * it is offline now; false for a workspace the host does not hold or one without a relay.
   */
  setWorkOffline: method<{ offline: boolean }>()(
    z.object({ workspaceId: id, memberId: id, offline: z.boolean() }).strict(),
  ),
  /** Whether closing the last window keeps the app running (with a tray icon). */
  backgroundSettings: method<BackgroundSettings>()(z.undefined()),
  setKeepRunning: method<BackgroundSettings>()(z.boolean()),
}

export type HostMethodName = keyof typeof hostMethods
export type HostInput<K extends HostMethodName> = z.input<(typeof hostMethods)[K]['input']>
export type HostOutput<K extends HostMethodName> = (typeof hostMethods)[K]['output']

/** What the renderer calls: one async function per method. */
export type HostApi = { [K in HostMethodName]: (input: HostInput<K>) => Promise<HostOutput<K>> }

/** Every method's name (method-names.ts, which a page imports without these schemas). */
export const hostMethodNames: HostMethodName[] = [...HOST_METHOD_NAMES]
// The list and the map name the same methods: a method added to one only fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const namesMatch: Same<(typeof HOST_METHOD_NAMES)[number], HostMethodName> = true
void namesMatch

/** The IPC channel for a method; one channel per method so the main process can list them. */
export const hostChannel = (name: HostMethodName): string => `signoff:${name}`

/**
 * Events the host raises in the renderer. They are the only functions on the bridge besides the
 * methods above; each returns a function that removes the listener.
 *
 * - `onBeforeQuit(flush)`: the shell is about to close the window or quit. Every registered
 *   `flush` runs (in parallel) and the shell waits for all of them, up to
 *   `BEFORE_QUIT_TIMEOUT_MS`, before it closes. Register the function that writes pending local
 *   edits (y-indexeddb's pending updates) so an edit made a moment before closing survives. In
 *   the web shell it runs on `pagehide`; the browser does not wait for it, but IndexedDB
 *   transactions already started still complete.
 * - `onMenuCommand(handler)`: a menu item or its shortcut was used (see `menu.ts`).
 * - `onHostEvent(handler)`: something the host did on its own (events.ts), e.g. a scheduled
 *   publish performed with or without a window.
 * - `onOpen(handler)`: the OS asked Signoff to open something: an invite link
 *   (`signoff://join?relay=…&token=…`) or a .md/.txt/.html file. Requests that arrive before the
 *   window has a handler (a cold start) are kept and given to the first one. The web shell has
 *   no such requests.
 */
export interface HostEvents {
  onBeforeQuit(flush: () => Promise<void> | void): () => void
  onMenuCommand(handler: (command: MenuCommand) => void): () => void
  onOpen(handler: (request: OpenRequest) => void): () => void
  /** Events the host raises from its own work (the typed map in events.ts). */
  onHostEvent(handler: (event: HostEvent) => void): () => void
}

/** Something the OS asked the app to open (see `onOpen`). */
export const openRequestSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('join'), relay: z.string().min(1).max(2048), token: z.string().max(512) })
    .strict(),
  z
    .object({ kind: z.literal('file'), name: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array) })
    .strict(),
])
export type OpenRequest = z.infer<typeof openRequestSchema>

/**
 * Everything the renderer gets from `getHost()`: the methods plus the events, and in Electron
 * `openDocSync(docName, memberId)`: ask the host for a MessagePort to sync one document with
 * (shared/host/doc-sync.ts); the port arrives by window.postMessage with the returned id. The web
 * shell opens a WebSocket to the bridge instead.
 */
export type HostBridge = HostApi &
  HostEvents & { openDocSync?: (docName: string, memberId?: string) => number }

export const hostEventNames: (keyof HostEvents)[] = ['onBeforeQuit', 'onMenuCommand', 'onOpen', 'onHostEvent']

/** Host → renderer: flush now (payload: a request id to echo back on `FLUSHED_CHANNEL`). */
export const BEFORE_QUIT_CHANNEL = 'signoff:before-quit'
/** Renderer → host: the flush for that request id has finished (or failed: it is only an ack). */
export const FLUSHED_CHANNEL = 'signoff:flushed'
/** Host → renderer: a menu command. */
export const MENU_CHANNEL = 'signoff:menu'
/** Host → renderer: an open request (see `onOpen`). */
export const OPEN_CHANNEL = 'signoff:open'
/** How long the shell waits for the renderer's flush before it closes anyway. */
export const BEFORE_QUIT_TIMEOUT_MS = 3000

/** Validate an argument for a method; throws a readable error instead of passing junk on. */
export function parseHostInput<K extends HostMethodName>(name: K, input: unknown): HostInput<K> {
  const result = hostMethods[name].input.safeParse(input)
  if (!result.success) {
    const first = result.error.issues[0]
    const said = first && tooLongInWords(first, input)
    if (said) throw new Error(said)
    throw new Error(
      `Invalid argument for ${name}: ${first ? `${first.path.join('.') || 'value'} ${first.message}` : 'rejected'}`,
    )
  }
  return result.data as HostInput<K>
}

/** Only http(s) links leave the app, and only well-formed ones. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname.length > 0 &&
      !url.username &&
      !url.password
    )
  } catch {
    return false
  }
}
