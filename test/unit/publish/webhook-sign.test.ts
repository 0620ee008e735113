import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  formatWebhookSecret,
  parseWebhookSecret,
  signWebhook,
  webhookBody,
} from '../../../shared/publish/webhook-sign.ts'
import { makePayload } from './fixture.ts'

describe('Standard Webhooks signing', () => {
  it("matches the specification's published example", () => {
    // From the Standard Webhooks reference libraries' tests.
    const key = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(key.ok).toBe(true)
    if (!key.ok) return
    expect(signWebhook(key.key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    )
  })

  it('agrees with node:crypto for random keys and bodies', () => {
    for (let i = 0; i < 20; i++) {
      const raw = randomBytes(32)
      const secret = formatWebhookSecret(raw)
      const parsed = parseWebhookSecret(secret)
      if (!parsed.ok) throw new Error(parsed.reason)
      const body = webhookBody(makePayload({ title: `t${i} ✓` }))
      const expected = createHmac('sha256', raw)
        .update(`msg_${i}.${1700000000 + i}.${body}`)
        .digest('base64')
      expect(signWebhook(parsed.key, `msg_${i}`, 1700000000 + i, body)).toBe(`v1,${expected}`)
    }
  })

  it('refuses secrets that are not whsec_ + base64 of 16–64 bytes', () => {
    for (const s of [
      '',
      'secret',
      'whsec_',
      'whsec_!!!!',
      'whsec_YWJj',
      `whsec_${Buffer.alloc(65).toString('base64')}`,
    ])
      expect(parseWebhookSecret(s).ok).toBe(false)
  })
})
