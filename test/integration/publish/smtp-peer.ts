import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface SmtpPeer {
  port: number
  /** Messages it was given (a Test must give it none). */
  readonly mails: number
  close(): Promise<void>
}

/** A real SMTP server on 127.0.0.1, no TLS, that takes only `user` with `password` and counts the mail it gets. */
export async function startSmtpPeer(user: string, password: string): Promise<SmtpPeer> {
  let mails = 0
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user })
      else cb(new Error('Invalid username or password'))
    },
    onData(stream, _session, cb) {
      mails++
      stream.resume()
      stream.on('end', () => cb())
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    port: (server.server.address() as AddressInfo).port,
    get mails() {
      return mails
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
