import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

const encoder = new TextEncoder()

/** The address of one version of an output's content: sha256 of its UTF-8 bytes, hex. */
export function contentHash(content: string): string {
  return bytesToHex(sha256(encoder.encode(content)))
}

/** A short form for people: the first 8 hex digits. */
export const shortHash = (hash: string): string => hash.slice(0, 8)
