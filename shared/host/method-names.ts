/**
 * The host API's method names, in the order api.ts declares them, without its schemas: a page
 * needs the names at start (to build its client), and building the ~100 schemas behind them cost
 * its first paint ~10 ms. api.ts checks at compile time that this list and its map agree.
 */
export const HOST_METHOD_NAMES = [
  'appInfo',
  'deviceKey',
  'perform',
  'openExternal',
  'notify',
  'hostingStatus',
  'startHosting',
  'stopHosting',
  'createInvite',
  'listInvites',
  'revokeInvite',
  'destinationSettings',
  'saveDestinationSettings',
  'testDestinationSettings',
  'deleteDestinationSettings',
  'secretStorageStatus',
  'generateWebhookSecret',
  'publishOutput',
  'checkDrift',
  'intakeInfo',
  'intakePending',
  'intakeAck',
  'intakeReportStatus',
  'setInbox',
  'inboxStatus',
  'registerWorkspace',
  'driftFlags',
  'forgetWorkspace',
  'setWorkOffline',
  'backgroundSettings',
  'setKeepRunning',
] as const
