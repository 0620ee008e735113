import { publishToEmail } from '../email.ts'
import type { HostKind } from './kind.ts'

export const emailHost: HostKind<'email'> = {
  async publish(config, payload) {
    // The SMTP server's last words stay out of the receipt.
    const { messageId, accepted, rejected } = await publishToEmail(config, payload)
    return { messageId, accepted, rejected }
  },
}
