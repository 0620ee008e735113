import { checkDrift, type FolderPublishResult, publishToFolder } from '../folder.ts'
import type { HostKind } from './kind.ts'

export const folderHost: HostKind<'folder'> = {
  publish: (config, payload) => publishToFolder(config, payload),
  drift: (detail) => checkDrift(detail as unknown as FolderPublishResult),
}
