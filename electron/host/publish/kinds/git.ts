import { checkDrift } from '../folder.ts'
import { type GitPublishResult, publishToGit } from '../git.ts'
import type { HostKind } from './kind.ts'

export const gitHost: HostKind<'git'> = {
  publish: (config, payload) => publishToGit(config, payload),
  drift: (detail) => checkDrift(detail as unknown as GitPublishResult),
}
