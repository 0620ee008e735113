import { describe, expect, it } from 'vitest'
import {
  hostEventNames,
  hostMethodNames,
  isSafeExternalUrl,
  parseHostInput,
} from '../../../shared/host/api.ts'

describe('isSafeExternalUrl', () => {
  it.each(['https://example.com', 'http://example.com/path?q=1#x', 'https://sub.example.co.uk:8443/a'])(
    'lets %s out',
    (url) => {
      expect(isSafeExternalUrl(url)).toBe(true)
    },
  )
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'signoff://app/index.html',
    'smb://server/share',
    'ms-msdt:/id',
    'https://user:pass@example.com',
    'https://user@example.com',
    'not a url',
    '',
    'http://',
  ])('keeps %s in', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false)
  })
})

describe('parseHostInput', () => {
  it('accepts what the schema allows', () => {
    expect(parseHostInput('appInfo', undefined)).toBeUndefined()
    expect(parseHostInput('openExternal', 'https://example.com')).toBe('https://example.com')
  })
  it('refuses junk with a message that names the method', () => {
    expect(() => parseHostInput('openExternal', 42)).toThrow(/Invalid argument for openExternal/)
    expect(() => parseHostInput('openExternal', 'x'.repeat(3000))).toThrow(/openExternal/)
    expect(() => parseHostInput('appInfo', { sneaky: true })).toThrow(/Invalid argument for appInfo/)
  })
})

describe('the bridge surface', () => {
  it('has distinct method and event names', () => {
    const all = [...hostMethodNames, ...hostEventNames]
    expect(new Set(all).size).toBe(all.length)
    expect(hostMethodNames).toContain('appInfo')
    expect(hostEventNames).toEqual(['onBeforeQuit', 'onMenuCommand', 'onOpen', 'onHostEvent'])
  })
})
