/**
 * Publishing by email: one message through the configured SMTP server to the configured
 * recipients. The body is the approved content as plain text (Markdown reads fine as text); the
 * manifest rides along as a JSON attachment, and headers name the output and its content hash.
 */
import { createTransport } from 'nodemailer'
import { canonicalJson } from '../../../shared/publish/canonical.ts'
import type { EmailConfig } from '../../../shared/publish/destinations.ts'
import type { PublishPayload } from '../../../shared/publish/manifest.ts'
import { PublishError } from './errors.ts'

export interface EmailPublishResult {
  messageId: string
  accepted: string[]
  rejected: string[]
  response: string
}

export type EmailTarget = Pick<
  EmailConfig,
  'host' | 'port' | 'security' | 'user' | 'password' | 'from' | 'to' | 'timeoutMs'
>

export const MANIFEST_ATTACHMENT = 'signoff-manifest.json'

export async function publishToEmail(
  target: EmailTarget,
  payload: PublishPayload,
): Promise<EmailPublishResult> {
  const m = payload.manifest
  const transport = transportFor(target)
  try {
    const info = await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: m.title.replace(/[\r\n]+/g, ' ').trim() || `Output ${m.outputId}`,
      text: payload.content,
      headers: {
        'X-Signoff-Output-Id': m.outputId,
        'X-Signoff-Content-Hash': m.contentHash,
      },
      attachments: [
        {
          filename: MANIFEST_ATTACHMENT,
          contentType: 'application/json',
          content: `${canonicalJson(m, 2)}\n`,
        },
      ],
    })
    return {
      messageId: info.messageId,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
      response: info.response,
    }
  } catch (e) {
    throw smtpError(e, target)
  } finally {
    transport.close()
  }
}

/**
 * Settings → Destinations → Test: connects, sets up TLS as configured and signs in, then quits;
 * no message is sent. Resolves with what to tell the person; throws `PublishError` with the cause.
 */
export async function testEmail(target: EmailTarget): Promise<string> {
  const transport = transportFor(target)
  try {
    await transport.verify()
  } catch (e) {
    throw smtpError(e, target, 'Signing in to')
  } finally {
    transport.close()
  }
  const where = `${target.host}:${target.port}`
  const how =
    target.security === 'none' ? 'without TLS' : target.security === 'tls' ? 'over TLS' : 'with STARTTLS'
  return target.user
    ? `Signed in to the SMTP server at ${where} as ${target.user} (${how}). No email was sent.`
    : `Connected to the SMTP server at ${where} (${how}); it asked for no sign-in. No email was sent.`
}

function transportFor(target: EmailTarget) {
  return createTransport({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    ...(target.user ? { auth: { user: target.user, pass: target.password } } : {}),
    connectionTimeout: target.timeoutMs,
    greetingTimeout: target.timeoutMs,
    socketTimeout: target.timeoutMs,
    dnsTimeout: target.timeoutMs,
  })
}

function smtpError(e: unknown, t: EmailTarget, doing = 'Sending the email through'): PublishError {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string }
  const where = `${t.host}:${t.port}`
  const said = err.response ? ` It said: ${err.response.slice(0, 200)}` : ''
  const fail = (message: string, retryable: boolean) =>
    new PublishError(message, {
      retryable,
      cause: e,
      detail: { code: err.code, responseCode: err.responseCode },
    })
  const sys = err.message ?? ''
  switch (err.code) {
    case 'EAUTH':
      return fail(`The SMTP server refused the user name or password (${where}).`, false)
    case 'ENOAUTH':
      return fail(`The SMTP server at ${where} needs a user name and password.`, false)
    case 'ETIMEDOUT':
      return fail(
        `The SMTP server at ${where} did not answer within ${Math.round(t.timeoutMs / 1000)} s.`,
        true,
      )
    case 'ETLS':
    case 'EREQUIRETLS':
      return fail(`Could not set up TLS with the SMTP server at ${where}: ${sys}`, false)
    case 'EENVELOPE':
      // A 4xx is "not now" (greylisting, a full mailbox): worth another try, unlike a 5xx.
      return (err.responseCode ?? 500) < 500
        ? fail(`The SMTP server at ${where} put off the sender or the recipients for now.${said}`, true)
        : fail(`The SMTP server at ${where} refused the sender or the recipients.${said}`, false)
    case 'EMESSAGE':
      return fail(`The SMTP server at ${where} refused the message.${said}`, (err.responseCode ?? 500) < 500)
    default:
      if (/ECONNREFUSED/.test(sys))
        return fail(`Could not connect to the SMTP server at ${where} (connection refused).`, true)
      if (/ENOTFOUND|EAI_AGAIN/.test(sys))
        return fail(`The SMTP server host ${t.host} could not be found.`, true)
      if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'EDNS')
        return fail(`The connection to the SMTP server at ${where} failed: ${sys}`, true)
      return fail(`${doing} ${where} failed: ${sys}${said}`, (err.responseCode ?? 0) < 500)
  }
}
