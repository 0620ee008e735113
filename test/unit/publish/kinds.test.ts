import { describe, expect, it } from 'vitest'
import { DESTINATION_KINDS as DOMAIN_KINDS } from '../../../shared/domain/types.ts'
import { toConfig, toFormValues } from '../../../shared/publish/kinds/form.ts'
import * as kinds from '../../../shared/publish/kinds/index.ts'

describe('destination kind registry', () => {
  it('derives the kind list, secrets and drift from the kind modules', () => {
    expect(kinds.DESTINATION_KINDS).toEqual(['folder', 'git', 'webhook', 'email'])
    expect(DOMAIN_KINDS).toBe(kinds.DESTINATION_KINDS)
    expect(kinds.DESTINATION_KINDS.map((k) => [k, kinds.secretFields(k)])).toEqual([
      ['folder', []],
      ['git', []],
      ['webhook', ['secret']],
      ['email', ['password']],
    ])
    expect(kinds.DESTINATION_KINDS.filter(kinds.writesLocalFiles)).toEqual(['folder', 'git'])
    expect(kinds.writesLocalFiles(undefined)).toBe(false)
    expect(kinds.writesLocalFiles('ftp' as never)).toBe(false)
  })

  it('every form field edits a settings key of its kind, and every secret has a secret field', () => {
    for (const kind of kinds.DESTINATION_KINDS) {
      const spec = kinds.kindSpec(kind)
      const keys = Object.keys(spec.schema.shape)
      for (const field of spec.form.flat()) expect(keys, `${kind}.${field.key}`).toContain(field.key)
      const secretKeys = spec.form
        .flat()
        .filter((f) => f.type === 'secret')
        .map((f) => f.key)
      expect(secretKeys).toEqual([...spec.secretFields])
    }
  })

  it('fills an empty form with the schema defaults', () => {
    expect(toFormValues('folder', undefined)).toEqual({
      path: '',
      format: 'markdown',
      template: '{date}-{slug}.{ext}',
      overwrite: false,
    })
    expect(toFormValues('git', undefined)).toMatchObject({ push: false, remote: 'origin', authorName: '' })
    expect(toFormValues('webhook', undefined)).toEqual({
      url: '',
      secret: '',
      timeoutMs: '10000',
      maxAttempts: '3',
    })
    expect(toFormValues('email', undefined)).toEqual({
      host: '',
      port: '587',
      security: 'starttls',
      user: '',
      password: '',
      from: '',
      to: '',
    })
  })

  it('never echoes a stored secret and maps lists and numbers both ways', () => {
    const stored = {
      kind: 'email',
      host: 'smtp.example.com',
      port: 465,
      security: 'tls',
      user: 'me',
      password: { set: true },
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
    }
    const values = toFormValues('email', stored)
    expect(values).toMatchObject({ port: '465', password: '', to: 'b@example.com, c@example.com' })
    const config = toConfig('email', values)
    expect(config).not.toHaveProperty('password')
    expect(config).toMatchObject({ kind: 'email', port: 465, to: ['b@example.com', 'c@example.com'] })
    expect(kinds.destinationConfigSchema.safeParse({ ...config, password: 'x' }).success).toBe(true)
  })

  it('leaves out empty optional fields so the schema default applies, but keeps empty required ones', () => {
    const config = toConfig('git', { ...toFormValues('git', undefined), path: ' /repo ', remote: '' })
    expect(config).toEqual({
      kind: 'git',
      path: '/repo',
      format: 'markdown',
      template: '{date}-{slug}.{ext}',
      overwrite: false,
      push: false,
    })
    expect(kinds.destinationConfigSchema.parse(config)).toMatchObject({ remote: 'origin' })
    expect(toConfig('folder', { path: '/x', format: 'text', template: '', overwrite: true })).toMatchObject({
      template: '',
      overwrite: true,
    })
  })
})
