import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmailReceiptDetail, publish } from '../../../electron/host/publish/index.ts'
import { makePayload } from '../../unit/publish/fixture.ts'
import { detailOf, failed } from './helpers.ts'

interface Received {
  from: string
  to: string[]
  user: string
  mail: ParsedMail
}

const USER = 'publisher'
const PASSWORD = 'correct horse battery staple'
const received: Received[] = []
let server: SMTPServer
let port = 0

/** A real SMTP server on 127.0.0.1 that needs a user name and password and keeps what it receives. */
beforeAll(async () => {
  server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER })
      else cb(new Error('Invalid username or password'))
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@nowhere.test')) cb(new Error('No such user here'))
      else if (address.address.endsWith('@greylist.test'))
        cb(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }))
      else cb()
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: String(session.user),
            mail,
          })
          cb()
        })
        .catch(cb)
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  port = (server.server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

const email = (extra: Record<string, unknown> = {}) => ({
  kind: 'email' as const,
  host: '127.0.0.1',
  port,
  security: 'none' as const,
  user: USER,
  password: PASSWORD,
  from: 'Signoff <signoff@example.test>',
  to: ['team@example.test', 'boss@example.test'],
  timeoutMs: 3000,
  ...extra,
})
const ok = detailOf<EmailReceiptDetail>

describe('email destination', () => {
  it('sends the content to every recipient with the title as subject and the manifest attached', async () => {
    const before = received.length
    const payload = makePayload()
    const d = ok(await publish(email(), payload))
    expect(d.messageId).toMatch(/^<.+@.+>$/)
    expect(d.accepted.sort()).toEqual(['boss@example.test', 'team@example.test'])
    expect(received).toHaveLength(before + 1)
    const got = received.at(-1)!
    expect(got.user).toBe(USER)
    expect(got.from).toBe('signoff@example.test')
    expect(got.to.sort()).toEqual(['boss@example.test', 'team@example.test'])
    expect(got.mail.subject).toBe('Q3 pricing update')
    expect(got.mail.messageId).toBe(d.messageId)
    expect(got.mail.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(payload.content.trimEnd())
    expect(got.mail.headers.get('x-signoff-content-hash')).toBe(payload.manifest.contentHash)
    const att = got.mail.attachments.find((a) => a.filename === 'signoff-manifest.json')!
    expect(att.contentType).toBe('application/json')
    expect(JSON.parse(att.content.toString('utf8'))).toEqual(payload.manifest)
  })

  it('a wrong password is the clear sentence, not retryable; the right one then works', async () => {
    const before = received.length
    const r = failed(await publish(email({ password: 'wrong' }), makePayload()))
    expect(r.error).toBe(`The SMTP server refused the user name or password (127.0.0.1:${port}).`)
    expect(r.retryable).toBe(false)
    expect(received).toHaveLength(before)
    ok(await publish(email(), makePayload()))
  })

  it('a refused recipient is reported', async () => {
    const r = failed(await publish(email({ to: ['ghost@nowhere.test'] }), makePayload()))
    expect(r.error).toMatch(/refused the sender or the recipients/)
    expect(r.retryable).toBe(false)
  })

  it('a recipient put off for now (4xx, such as greylisting) is worth trying again', async () => {
    const r = failed(await publish(email({ to: ['later@greylist.test'] }), makePayload()))
    expect(r.error).toMatch(
      /put off the sender or the recipients for now\. It said: 451 Greylisted, try again later/,
    )
    expect(r.retryable).toBe(true)
  })

  it('a server that is not there: connection refused, retryable', async () => {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    const closed = (probe.address() as AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    const r = failed(await publish(email({ port: closed }), makePayload()))
    expect(r.error).toBe(`Could not connect to the SMTP server at 127.0.0.1:${closed} (connection refused).`)
    expect(r.retryable).toBe(true)
  })

  it('a server that accepts the connection but never greets times out', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const silentPort = (silent.address() as AddressInfo).port
    try {
      const started = Date.now()
      const r = failed(await publish(email({ port: silentPort, timeoutMs: 1000 }), makePayload()))
      expect(r.error).toBe(`The SMTP server at 127.0.0.1:${silentPort} did not answer within 1 s.`)
      expect(r.retryable).toBe(true)
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      silent.close()
    }
  })

  it('requiring STARTTLS from a server without it fails clearly', async () => {
    const r = failed(await publish(email({ security: 'starttls' }), makePayload()))
    expect(r.error).toMatch(/^Could not set up TLS with the SMTP server at 127.0.0.1:\d+/)
  })
})
