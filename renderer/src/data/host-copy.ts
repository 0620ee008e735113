/**
 * What this window still owes the host's log, remembered across starts (localStorage): whether a
 * workspace's outputs were all copied into it once (the migration of an older installation's
 * window storage), and outputs closed with changes the host had not acknowledged (the host was
 * away), which the next start copies again.
 */
const copiedKey = (workspaceId: string) => `signoff.hostCopied.${workspaceId}`
const dirtyKey = (workspaceId: string) => `signoff.hostDirty.${workspaceId}`

export function hostCopied(workspaceId: string): boolean {
  return localStorage.getItem(copiedKey(workspaceId)) === '1'
}

export function markHostCopied(workspaceId: string): void {
  localStorage.setItem(copiedKey(workspaceId), '1')
}

export function dirtyOutputs(workspaceId: string): Set<string> {
  try {
    const raw = JSON.parse(localStorage.getItem(dirtyKey(workspaceId)) ?? '[]') as unknown
    return new Set(Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [])
  } catch {
    return new Set()
  }
}

function saveDirty(workspaceId: string, ids: Set<string>): void {
  if (ids.size === 0) localStorage.removeItem(dirtyKey(workspaceId))
  else localStorage.setItem(dirtyKey(workspaceId), JSON.stringify([...ids]))
}

export function markDirty(workspaceId: string, outputId: string): void {
  const ids = dirtyOutputs(workspaceId)
  if (ids.has(outputId)) return
  ids.add(outputId)
  saveDirty(workspaceId, ids)
}

export function clearDirty(workspaceId: string, outputId: string): void {
  const ids = dirtyOutputs(workspaceId)
  if (ids.delete(outputId)) saveDirty(workspaceId, ids)
}

export function forgetHostCopy(workspaceId: string): void {
  localStorage.removeItem(copiedKey(workspaceId))
  localStorage.removeItem(dirtyKey(workspaceId))
}
