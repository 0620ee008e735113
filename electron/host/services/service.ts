/**
 * The one shape of a background service in the host: it is made from the host context, started
 * once, and stopped once. Each service runs for every workspace the host holds, window or not.
 */
import type { HostEvent } from '../../../shared/host/events.ts'
import type { Replicas } from '../replica/replicas.ts'

export interface HostContext {
  replicas: Replicas
  now(): number
  log(line: string): void
  /** A desktop notification (the main process's), when the shell has one. */
  notify?(notification: { title: string; body: string; tag: string }): void
  /** Tell the windows (those open now; nothing waits for one to open). */
  emit(event: HostEvent): void
}

export interface HostService {
  readonly name: string
  start(): void
  stop(): Promise<void>
}
