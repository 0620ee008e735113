import { findingsResult, MAX_MATCHES, type PreCheckResult } from './result.ts'
import { listed, scan } from './text.ts'

/** A scheme-like word (including typos such as "htps") and what follows it up to white space. */
const LINK = /(?<![\p{L}\p{N}_])([hH]?[tT]{1,2}[pP][sS]?)(:?)(\/{0,3})([^\s<>"'`()[\]{}]*)/gu
/** Markdown links with an empty target or a target without a scheme ("](www.…"). */
const MD_LINK = /\]\(\s*(?:\)|www\.)/gu
const TRAILING = /[.,;:!?*_’”»]+$/u
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

export function validHost(authority: string): boolean {
  const at = authority.lastIndexOf('@')
  let host = at >= 0 ? authority.slice(at + 1) : authority
  const port = /:(\d{1,5})$/.exec(host)
  if (port) host = host.slice(0, port.index)
  if (!host || host.length > 253) return false
  if (host.toLowerCase() === 'localhost' || IPV4.test(host)) return true
  const labels = host.split('.')
  if (labels.length < 2) return false
  const tld = labels[labels.length - 1]!
  return labels.every((l) => LABEL.test(l)) && TLD.test(tld)
}

export function checkLinks(content: string): PreCheckResult {
  let insecure = 0
  let malformed = 0
  const found = scan(LINK, content, (m) => {
    const scheme = m[1]!.toLowerCase()
    const colon = m[2]!
    const slashes = m[3]!
    const rest = m[4]!.replace(TRAILING, '')
    // A plain word ("http", "tips") is not a link attempt; a colon or slashes make it one.
    if (!slashes && !(colon && scheme.startsWith('h') && rest)) return null
    const text = `${m[1]}${colon}${slashes}${rest}`
    const authority = rest.split(/[/?#]/u, 1)[0] ?? ''
    if ((scheme === 'https' || scheme === 'http') && colon && slashes === '//' && validHost(authority)) {
      if (scheme === 'https') return null
      insecure += 1
      return { text, index: m.index }
    }
    malformed += 1
    return { text, index: m.index }
  })
  const md = scan(MD_LINK, content)
  malformed += md.count
  const matches = [...found.matches, ...md.matches].sort((x, y) => x.index - y.index).slice(0, MAX_MATCHES)
  const count = found.count + md.count
  const parts: string[] = []
  if (malformed > 0) parts.push(`${malformed} malformed`)
  if (insecure > 0) parts.push(`${insecure} not https`)
  return findingsResult(
    'links',
    'Links are well-formed and https',
    { matches, count },
    () => `${parts.join(', ')}: ${listed(matches, count)}.`,
    'Every link is a well-formed https address.',
  )
}

// ---------------------------------------------------------------------------------------------
