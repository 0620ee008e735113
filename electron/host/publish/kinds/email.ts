import { publishToEmail, testEmail } from '../email.ts'
import type { HostKind } from './kind.ts'

export const emailHost: HostKind<'email'> = {
  test: (config) => testEmail(config),
  async publish(config, payload) {
    // The SMTP server's last words stay out of the receipt.
    const { messageId, accepted, rejected } = await publishToEmail(config, payload)
    return { messageId, accepted, rejected }
  },
}
