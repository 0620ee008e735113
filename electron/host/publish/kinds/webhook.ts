import { publishToWebhook, testWebhook } from '../webhook.ts'
import type { HostKind } from './kind.ts'

export const webhookHost: HostKind<'webhook'> = {
  publish: (config, payload, options) => publishToWebhook(config, payload, options),
  test: (config) => testWebhook(config),
}
