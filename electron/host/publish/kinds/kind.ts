import type { ConfigOf, DestinationKind } from '../../../../shared/publish/destinations.ts'
import type { PublishPayload } from '../../../../shared/publish/manifest.ts'
import type { DriftStatus } from '../folder.ts'
import type { WebhookOptions } from '../webhook.ts'

export type PublishOptions = WebhookOptions

/** How this machine publishes to one destination kind. */
export interface HostKind<K extends DestinationKind> {
  /** Publishes with validated settings; throws `PublishError` for an expected failure. */
  publish(config: ConfigOf<K>, payload: PublishPayload, options: PublishOptions): Promise<object>
  /**
   * Settings → Destinations → Test for a kind that publishes off this machine: tries the settings
   * without publishing anything; resolves with what to tell the person, throws `PublishError`.
   */
  test?(config: ConfigOf<K>): Promise<string>
  /** Compares a published file with the bytes written; only for kinds that write local files. */
  drift?(detail: Record<string, unknown>): Promise<DriftStatus>
}
