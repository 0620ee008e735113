import { describe, expect, it } from 'vitest'
import { toConfig, toFormValues } from '../../../shared/publish/kinds/form.ts'
import { DESTINATION_KINDS, kindSpec } from '../../../shared/publish/kinds/index.ts'
import { describeProblems, settingsProblems } from '../../../shared/publish/kinds/problems.ts'

/** The form's values for `kind` with `edits`, as the settings form would send them. */
const form = (kind: Parameters<typeof toFormValues>[0], edits: Record<string, string | boolean>) =>
  toConfig(kind, { ...toFormValues(kind, undefined), ...edits })

describe('destination settings problems, field by field', () => {
  it('every field a schema can refuse says in words what it needs', () => {
    for (const kind of DESTINATION_KINDS)
      for (const field of kindSpec(kind).form.flat())
        if (field.type !== 'checkbox') expect(field.rule, `${kind}.${field.key}`).toMatch(/\.$/)
  })

  it('a new webhook form: the URL and the secret, each with its own words, and the numbers', () => {
    expect(settingsProblems('webhook', form('webhook', {}))).toEqual({
      url: 'Enter the URL the receiver gave you.',
      secret: 'Generate a secret, or paste the one the receiver gave you (it starts with “whsec_”).',
    })
    const bad = settingsProblems(
      'webhook',
      form('webhook', { url: 'ftp://x.example/a', secret: 'hunter2', timeoutMs: '-5', maxAttempts: '1.5' }),
    )
    expect(bad).toEqual({
      url: 'A webhook URL starts with http:// or https://.',
      secret:
        'This is not a signing secret: one is “whsec_” and 16–64 bytes in base64. Generate secret makes one.',
      timeoutMs: 'A whole number of milliseconds from 100 to 120000.',
      maxAttempts: 'A whole number from 1 to 10.',
    })
    // Text that is no number is refused, not read as 0 or as the default.
    expect(settingsProblems('webhook', form('webhook', { maxAttempts: 'three' })).maxAttempts).toBe(
      'A whole number from 1 to 10.',
    )
    expect(describeProblems('webhook', { url: 'A.', timeoutMs: 'B.' })).toBe(
      'Webhook URL: A. Timeout (ms): B.',
    )
  })

  it('a secret left empty is no problem when one is stored: the stored one is kept', () => {
    const config = form('webhook', { url: 'https://example.com/hook' })
    expect(settingsProblems('webhook', config, (k) => k === 'secret')).toEqual({})
    expect(settingsProblems('webhook', config, () => false)).toHaveProperty('secret')
  })

  it('an empty number takes the default instead of 0', () => {
    const config = form('webhook', { url: 'https://example.com/hook', timeoutMs: '', maxAttempts: ' ' })
    expect(config).not.toHaveProperty('timeoutMs')
    expect(config).not.toHaveProperty('maxAttempts')
    expect(settingsProblems('webhook', config, () => true)).toEqual({})
  })

  it('email: the host, the port and every address', () => {
    expect(
      settingsProblems(
        'email',
        form('email', { port: '99999', from: 'not-an-email', to: 'a@b.example, , bad' }),
      ),
    ).toEqual({
      host: 'Enter the SMTP server’s host name, such as smtp.example.com.',
      port: 'A port is a whole number from 1 to 65535.',
      from: 'An address such as signoff@example.com, or Signoff <signoff@example.com>.',
      to: 'One to 100 addresses such as bea@example.com, separated by commas.',
    })
    expect(
      settingsProblems(
        'email',
        form('email', { host: 'smtp.example.com', from: 'Signoff <s@example.com>', to: 'a@b.example; c@d' }),
      ),
    ).toEqual({})
  })

  it('folder and git: the path, the template and git’s own fields', () => {
    expect(settingsProblems('folder', form('folder', { template: '' }))).toEqual({
      path: 'Enter the full path of the folder on this machine, such as /home/ada/Published.',
      template: 'Enter a file name template of at most 300 characters, such as {date}-{slug}.{ext}.',
    })
    expect(
      settingsProblems(
        'git',
        form('git', {
          path: '/repo',
          template: '../../etc/{slug}',
          remote: '--upload-pack=evil',
          authorName: 'Ada <x>',
          authorEmail: 'nobody',
        }),
      ),
    ).toEqual({
      template:
        'The file name template names one file, so it cannot contain “/” or “\\”: put the folder in the folder path (subfolders are not supported).',
      remote: 'A remote is a name such as origin, or a URL: no spaces, and not starting with “-”.',
      authorName: 'A name of at most 200 characters, without “<”, “>” or line breaks.',
      authorEmail: 'An address such as ada@example.com.',
    })
    expect(settingsProblems('git', form('git', { path: '/repo' }))).toEqual({})
  })
})
