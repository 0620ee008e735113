// Three type-check projects: shared/ alone (no DOM, no Node: keeps the domain portable), the
// Node side (electron, sync-server, tests) and the web side (renderer).
import { bin, run } from './run.mjs'

for (const project of ['tsconfig.shared.json', 'tsconfig.node.json', 'tsconfig.web.json']) {
  run(bin('tsc'), ['-p', project, '--noEmit'])
}
