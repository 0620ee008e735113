// Node processes sign and verify with node:crypto, as the host does (signing.test.ts checks that
// it and the pure-JS default the renderer uses accept each other's signatures).
import { installNodeEd25519 } from '../../electron/host/ed25519.ts'

installNodeEd25519()
