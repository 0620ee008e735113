/**
 * Document names as they travel on the wire (y-websocket room names, relay log keys):
 * `<workspaceId>` for the workspace document, `<workspaceId>/<outputId>` for an output document.
 * Ids are restricted to a safe alphabet so a name can never smuggle a path or a second separator.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export type DocName =
  | { kind: 'workspace'; workspaceId: string }
  | { kind: 'output'; workspaceId: string; outputId: string }

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id)
}

export function workspaceDocName(workspaceId: string): string {
  if (!isValidId(workspaceId)) throw new Error(`Invalid workspace id: ${JSON.stringify(workspaceId)}`)
  return workspaceId
}

export function outputDocName(workspaceId: string, outputId: string): string {
  if (!isValidId(workspaceId)) throw new Error(`Invalid workspace id: ${JSON.stringify(workspaceId)}`)
  if (!isValidId(outputId)) throw new Error(`Invalid output id: ${JSON.stringify(outputId)}`)
  return `${workspaceId}/${outputId}`
}

/** Parse a room name; returns null for anything that is not exactly one of the two shapes. */
export function parseDocName(name: string): DocName | null {
  const parts = name.split('/')
  if (parts.length === 1 && isValidId(parts[0]!)) return { kind: 'workspace', workspaceId: parts[0]! }
  if (parts.length === 2 && isValidId(parts[0]!) && isValidId(parts[1]!)) {
    return { kind: 'output', workspaceId: parts[0]!, outputId: parts[1]! }
  }
  return null
}
