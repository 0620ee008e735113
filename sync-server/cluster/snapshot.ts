import type { RoomSource } from '../room.ts'

export interface Row {
  seq: number
  member: string
  clients: number[]
  data: Uint8Array
}

/** Everything a room is built from, read ahead so that Room can build it synchronously. */
export class Snapshot implements RoomSource {
  readonly cp: { seq: number; data: Uint8Array } | undefined
  readonly rows: Row[]
  readonly head: number
  readonly bytes: number
  readonly owners: Map<number, string>
  constructor(
    cp: { seq: number; data: Uint8Array } | undefined,
    rows: Row[],
    head: number,
    bytes: number,
    owners: Map<number, string>,
  ) {
    this.cp = cp
    this.rows = rows
    this.head = head
    this.bytes = bytes
    this.owners = owners
  }
  checkpoint(): { seq: number; data: Uint8Array } | undefined {
    return this.cp
  }
  stats(): { seq: number; bytes: number } {
    return { seq: this.head, bytes: this.bytes }
  }
  updates(_doc: string, afterSeq: number): Uint8Array[] {
    return this.rows.filter((r) => r.seq > afterSeq).map((r) => r.data)
  }
  clientOwners(): Map<number, string> {
    return new Map(this.owners)
  }
}

export function toRow(r: { seq: string; member: string; clients: string; data: Buffer }): Row {
  return {
    seq: Number(r.seq),
    member: r.member,
    clients: JSON.parse(r.clients) as number[],
    data: new Uint8Array(r.data),
  }
}
