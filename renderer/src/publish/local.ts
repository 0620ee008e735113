/**
 * Machine-local publishing facts for the renderer: which destinations are set up on this
 * machine (from the host), and drift results of published files. Neither goes into the shared
 * documents: another member's machine may see them differently.
 */
import type { DestinationSettings, DriftCheck } from '../../../shared/host/publishing.ts'
import { getHost } from '../host.ts'
import { Observable } from '../state/observable.ts'

/** The destinations set up on this machine for one workspace. */
export class LocalDestinations extends Observable {
  readonly workspaceId: string
  private list: DestinationSettings[] = []
  private loadedOnce = false
  private error: string | null = null
  private loading: Promise<void> | null = null

  constructor(workspaceId: string) {
    super()
    this.workspaceId = workspaceId
  }

  get all(): readonly DestinationSettings[] {
    return this.list
  }

  get loaded(): boolean {
    return this.loadedOnce
  }

  get loadError(): string | null {
    return this.error
  }

  configured(destinationId: string): boolean {
    return this.list.some((d) => d.destinationId === destinationId)
  }

  settings(destinationId: string): DestinationSettings | undefined {
    return this.list.find((d) => d.destinationId === destinationId)
  }

  /** Ask the host again (after a save, or on start). */
  refresh(): Promise<void> {
    this.loading ??= (async () => {
      const host = getHost()
      try {
        this.list = host ? await host.destinationSettings(this.workspaceId) : []
        this.error = host ? null : 'There is no host: local destination settings are unavailable.'
      } catch (e) {
        this.error = e instanceof Error ? e.message : String(e)
      } finally {
        this.loadedOnce = true
        this.loading = null
        this.emit()
      }
    })()
    return this.loading
  }
}

const byWorkspace = new Map<string, LocalDestinations>()

export function localDestinations(workspaceId: string): LocalDestinations {
  let l = byWorkspace.get(workspaceId)
  if (!l) {
    l = new LocalDestinations(workspaceId)
    byWorkspace.set(workspaceId, l)
    void l.refresh()
  }
  return l
}

export interface DriftFlag {
  destinationId: string
  status: DriftCheck['status']
  path: string
  checkedAt: number
}

/** Drift results per output: only files that no longer match ('changed' / 'missing') are kept. */
export class DriftStore extends Observable {
  private flags = new Map<string, DriftFlag[]>()

  get(outputId: string): readonly DriftFlag[] | undefined {
    return this.flags.get(outputId)
  }

  set(outputId: string, flags: DriftFlag[]): void {
    const bad = flags.filter((f) => f.status === 'changed' || f.status === 'missing')
    const before = JSON.stringify(this.flags.get(outputId) ?? [])
    if (bad.length === 0) this.flags.delete(outputId)
    else this.flags.set(outputId, bad)
    if (JSON.stringify(bad) !== before) this.emit()
  }
}

const drifts = new Map<string, DriftStore>()

export function driftStore(workspaceId: string): DriftStore {
  let d = drifts.get(workspaceId)
  if (!d) {
    d = new DriftStore()
    drifts.set(workspaceId, d)
  }
  return d
}
