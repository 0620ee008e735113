/**
 * The host's registry of destination kinds: how this machine publishes to each kind declared in
 * shared/publish/kinds/. The type makes a kind without a host module a compile error.
 */
import type { DestinationKind } from '../../../../shared/publish/destinations.ts'
import { emailHost } from './email.ts'
import { folderHost } from './folder.ts'
import { gitHost } from './git.ts'
import type { HostKind } from './kind.ts'
import { webhookHost } from './webhook.ts'

export const HOST_KINDS: { [K in DestinationKind]: HostKind<K> } = {
  folder: folderHost,
  git: gitHost,
  webhook: webhookHost,
  email: emailHost,
}

export const hostKind = <K extends DestinationKind>(kind: K): HostKind<K> => HOST_KINDS[kind]

export type { HostKind, PublishOptions } from './kind.ts'
