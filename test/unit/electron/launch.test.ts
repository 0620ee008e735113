import { describe, expect, it } from 'vitest'
import { joinRequestFromLink, launchTargets } from '../../../electron/main/launch.ts'

describe('launch targets', () => {
  it('takes signoff:// links and openable files from a command line, and nothing else', () => {
    const argv = [
      '/opt/Signoff/signoff',
      '--no-sandbox',
      '--original-process-start-time=1',
      '.',
      'out/main/index.js',
      'SIGNOFF://join?relay=wss%3A%2F%2Fr&token=t',
      'notes.MD',
      '/home/ada/brief.txt',
      'page.html',
      'photo.png',
      '-psn_0_12345',
    ]
    expect(launchTargets(argv, '/home/ada/work')).toEqual({
      links: ['SIGNOFF://join?relay=wss%3A%2F%2Fr&token=t'],
      files: ['/home/ada/work/notes.MD', '/home/ada/brief.txt', '/home/ada/work/page.html'],
    })
  })
})

describe('invite links', () => {
  it('reads the relay and token of a well-formed invite', () => {
    expect(
      joinRequestFromLink('signoff://join?relay=wss%3A%2F%2Frelay.example%3A4455&token=id.S3cr_et-x'),
    ).toEqual({
      relay: 'wss://relay.example:4455',
      token: 'id.S3cr_et-x',
    })
    expect(joinRequestFromLink('signoff://join/?relay=https%3A%2F%2Fr.example&token=t')).toEqual({
      relay: 'https://r.example',
      token: 't',
    })
  })

  it('refuses anything else: other actions, schemes, relays that are not ws(s)/http(s), odd tokens', () => {
    for (const link of [
      'signoff://settings?relay=wss%3A%2F%2Fr&token=t',
      'https://join?relay=wss%3A%2F%2Fr&token=t',
      'signoff://join?relay=file%3A%2F%2F%2Fetc%2Fpasswd&token=t',
      'signoff://join?relay=javascript%3Aalert(1)&token=t',
      'signoff://join?token=t',
      'signoff://join?relay=wss%3A%2F%2Fr&token=%3Cscript%3E',
      `signoff://join?relay=wss%3A%2F%2Fr&token=${'a'.repeat(600)}`,
      'signoff://join?relay=not a url&token=t',
      'not a link',
    ])
      expect(joinRequestFromLink(link), link).toBeUndefined()
  })
})
