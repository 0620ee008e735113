import { publishToWebhook } from '../webhook.ts'
import type { HostKind } from './kind.ts'

export const webhookHost: HostKind<'webhook'> = {
  publish: (config, payload, options) => publishToWebhook(config, payload, options),
}
