import { z } from 'zod'
import { ID_PATTERN } from '../docnames.ts'

/**
 * A workspace membership this device has, as the window tells the host when it opens or creates
 * one: the host keeps a replica of every membership that syncs through a relay and runs the
 * background services (intake, scheduled publishing, …) for it, window or not.
 */
export const membershipSchema = z
  .object({
    workspaceId: z.string().regex(ID_PATTERN),
    memberId: z.string().regex(ID_PATTERN),
    relayUrl: z
      .string()
      .max(2048)
      .regex(/^wss?:\/\//, 'a relay address starts with ws:// or wss://')
      .optional(),
    token: z.string().min(1).max(512).optional(),
  })
  .strict()
export type Membership = z.infer<typeof membershipSchema>

/** What the host does for a workspace. */
export interface HeldWorkspace {
  workspaceId: string
  /**
   * The host keeps the replica and runs this workspace's background work (intake, routing,
   * scheduled publishing, drift), so the window must not; the window syncs its documents with the
   * host (shared/host/doc-sync.ts). False only when the host cannot keep workspaces (its local
   * log could not be opened): then the window does that work, as before.
   */
  held: boolean
}
