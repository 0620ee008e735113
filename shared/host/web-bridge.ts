/**
 * The wire format of the localhost web bridge (`npm run web`), shared by the server
 * (electron/host/bridge.ts) and the renderer's client: `POST /host/<method>` with `{"input": …}`.
 */

/** The header that carries the per-run secret; a custom header also forces a CORS preflight. */
export const BRIDGE_SECRET_HEADER = 'x-signoff-secret'

/** Why the bridge refused or failed a call. */
export type BridgeErrorCode =
  | 'bad_host'
  | 'bad_origin'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'unknown_method'
  | 'body_too_large'
  | 'malformed_body'
  | 'invalid_argument'
  | 'host_error'

export type BridgeReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: BridgeErrorCode; message: string } }
