/**
 * The machine-local half of a destination: where on this machine a folder is, a webhook's secret,
 * an SMTP password. The shared workspace document holds only id, name and kind (see
 * `Destination` in domain/types.ts); these details stay in each member's data folder. Each kind
 * declares its settings in kinds/; this module names the per-kind shapes.
 */
import type { ConfigOf } from './kinds/index.ts'

export {
  type ConfigOf,
  DESTINATION_KINDS,
  type DestinationConfig,
  type DestinationConfigInput,
  type DestinationKind,
  destinationConfigSchema,
  isDestinationKind,
  kindSpec,
  secretFields,
  writesLocalFiles,
} from './kinds/index.ts'
export { webhookUrlProblem } from './kinds/webhook.ts'

export type FolderConfig = ConfigOf<'folder'>
export type GitConfig = ConfigOf<'git'>
export type WebhookConfig = ConfigOf<'webhook'>
export type EmailConfig = ConfigOf<'email'>
