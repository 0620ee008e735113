import type { ConfigOf, DestinationKind } from '../../../../shared/publish/destinations.ts'
import type { PublishPayload } from '../../../../shared/publish/manifest.ts'
import type { DriftStatus } from '../folder.ts'
import type { WebhookOptions } from '../webhook.ts'

export type PublishOptions = WebhookOptions

/** How this machine publishes to one destination kind. */
export interface HostKind<K extends DestinationKind> {
  /** Publishes with validated settings; throws `PublishError` for an expected failure. */
  publish(config: ConfigOf<K>, payload: PublishPayload, options: PublishOptions): Promise<object>
  /** Compares a published file with the bytes written; only for kinds that write local files. */
  drift?(detail: Record<string, unknown>): Promise<DriftStatus>
}
