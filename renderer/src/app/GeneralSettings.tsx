import { useEffect, useId, useState } from 'react'
import type { BackgroundSettings } from '../../../shared/host/api.ts'
import { getHost } from '../host.ts'

/**
 * Settings → General: "Keep running in the background". Closing the last window then keeps the
 * app, its host and their background work (scheduled publishes, intake, routing) running, with a
 * tray icon that shows what waits and what is next. On by default on macOS, opt-in elsewhere.
 */
export function GeneralSettings() {
  const id = useId()
  const [settings, setSettings] = useState<BackgroundSettings | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const host = getHost()
    if (!host) {
      setError('This window is not connected to the Signoff host.')
      return
    }
    host.backgroundSettings(undefined).then(setSettings, (e: unknown) => setError(String(e)))
  }, [])
  const change = (keep: boolean) => {
    const host = getHost()
    if (!host || !settings) return
    const before = settings
    // Shown at once; put back with the reason if the host could not keep it.
    setSettings({ ...settings, keepRunning: keep })
    setBusy(true)
    setError(null)
    host
      .setKeepRunning(keep)
      .then(setSettings, (e: unknown) => {
        setSettings(before)
        setError(`Could not change the setting: ${e instanceof Error ? e.message : String(e)}`)
      })
      .finally(() => setBusy(false))
  }
  return (
    <section className="panel" aria-labelledby={`${id}-bg`}>
      <h2 id={`${id}-bg`}>Background</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={settings?.keepRunning ?? false}
          disabled={!settings}
          aria-busy={busy}
          onChange={(e) => change(e.target.checked)}
          aria-describedby={`${id}-bg-help`}
        />
        Keep running in the background
      </label>
      <p id={`${id}-bg-help`} className="muted">
        {settings?.shell === 'web'
          ? 'In the browser the app runs for as long as npm run web does; this applies to the desktop app.'
          : `When you close the last window, Signoff keeps publishing on schedule, taking submissions and handing over overdue reviews, with an icon in the ${settings?.platformDefault ? 'menu bar' : 'tray'} that shows what waits and what is next. Quit from there or from the menu. ${settings?.platformDefault ? 'On by default on macOS.' : 'Off by default on this system.'}`}
      </p>
      {error && <p role="alert">{error}</p>}
    </section>
  )
}
