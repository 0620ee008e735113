import { useEffect, useState } from 'react'
import type { AppInfo } from '../../shared/host/api.ts'
import { getHost } from './host.ts'

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const host = getHost()
    if (!host) {
      setError(
        'The Signoff host is not connected: open the address `npm run web` printed (it carries the secret).',
      )
      return
    }
    host.appInfo(undefined).then(setInfo, (e: unknown) => setError(String(e)))
  }, [])
  return (
    <main>
      <h1>Signoff</h1>
      {info && <p>{`${info.name} ${info.version} (${info.shell}, ${info.platform})`}</p>}
      {error && <p role="alert">{error}</p>}
    </main>
  )
}
