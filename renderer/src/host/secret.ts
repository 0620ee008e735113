const STORAGE_KEY = 'signoff.bridgeSecret'

/**
 * The web bridge's per-run secret. `npm run web` prints a URL with `#secret=…`; the page keeps it
 * in sessionStorage (this tab only, gone when it closes) and takes it out of the address bar so
 * it is not bookmarked or shared by accident. A `?secret=` query works too.
 */
export function takeBridgeSecret(): string | undefined {
  const hash = new URLSearchParams(window.location.hash.slice(1))
  const query = new URLSearchParams(window.location.search)
  const fromUrl = hash.get('secret') ?? query.get('secret')
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl)
    hash.delete('secret')
    query.delete('secret')
    const search = query.toString()
    const fragment = hash.toString()
    window.history.replaceState(
      window.history.state,
      '',
      `${window.location.pathname}${search ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`,
    )
    return fromUrl
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined
}
