// The few globals that exist identically in browsers, Node and Electron, declared for the
// shared/ type-check project only (which has neither DOM nor Node types). Anything not listed
// here is unavailable to shared/ on purpose.
declare class URL {
  constructor(url: string, base?: string | URL)
  readonly href: string
  readonly protocol: string
  readonly hostname: string
  readonly host: string
  readonly port: string
  readonly pathname: string
  readonly search: string
  readonly hash: string
  readonly origin: string
  readonly username: string
  readonly password: string
}
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: Uint8Array): string
}
