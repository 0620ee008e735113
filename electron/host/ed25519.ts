/**
 * Node's native Ed25519 for the shared signing code (see shared/domain/signing.ts). Keys arrive
 * as raw hex and are turned into KeyObjects once each.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import { type DeviceKey, type Ed25519Backend, setEd25519Backend } from '../../shared/domain/signing.ts'

const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url')
const publicKeys = new Map<string, KeyObject>()
const privateKeys = new Map<string, KeyObject>()

function publicKeyOf(hex: string): KeyObject {
  let k = publicKeys.get(hex)
  if (!k) {
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(hex) }, format: 'jwk' })
    if (publicKeys.size > 1000) publicKeys.clear()
    publicKeys.set(hex, k)
  }
  return k
}

function privateKeyOf(key: DeviceKey): KeyObject {
  let k = privateKeys.get(key.publicKey)
  if (!k) {
    k = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64url(key.secretKey), x: b64url(key.publicKey) },
      format: 'jwk',
    })
    if (privateKeys.size > 100) privateKeys.clear()
    privateKeys.set(key.publicKey, k)
  }
  return k
}

export const nodeEd25519: Ed25519Backend = {
  name: 'node:crypto (native)',
  sign: (message, key) => sign(null, message, privateKeyOf(key)).toString('hex'),
  verify: (publicKey, message, signature) =>
    /^[0-9a-f]{128}$/.test(signature) &&
    verify(null, message, publicKeyOf(publicKey), Buffer.from(signature, 'hex')),
}

/** Make this process sign and verify natively. */
export function installNodeEd25519(): void {
  setEd25519Backend(nodeEd25519)
}
