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
  it('text a person typed past its limit is refused in words, with its length and the limit', () => {
    const state = { vector: 'AA==' }
    const perform = (command: unknown) =>
      parseHostInput('perform', {
        workspaceId: 'w1',
        memberId: 'm1',
        outputId: 'o1',
        command,
        workspace: state,
        output: state,
      })
    expect(() => perform({ name: 'addComment', args: { body: 'c'.repeat(12_000) } })).toThrow(
      /^The comment is 12,000 characters: at most 10,000 fit\. Shorten it\.$/,
    )
    expect(() =>
      perform({ name: 'suggestChange', args: { from: 0, to: 1, replacement: 's'.repeat(100_001) } }),
    ).toThrow(/^The suggested text is 100,001 characters: at most 100,000 fit\. Shorten it\.$/)
    expect(() =>
      perform({ name: 'perform', args: { action: 'request_changes', reasons: ['ok', 'r'.repeat(4001)] } }),
    ).toThrow(/^The reason is 4,001 characters: at most 4,000 fit\. Shorten it\.$/)
    expect(() =>
      perform({ name: 'replyToThread', args: { thread: 't1', body: 'r'.repeat(10_001) } }),
    ).toThrow(/^The reply is 10,001 characters/)
    expect(() =>
      perform({ name: 'perform', args: { action: 'request_changes', reasons: Array(51).fill('why') } }),
    ).toThrow(/^There are 51 reasons: at most 50 fit\. Put some together\.$/)
    // What no person types stays technical.
    expect(() => perform({ name: 'addComment', args: { body: 5 } })).toThrow(/Invalid argument for perform/)
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
