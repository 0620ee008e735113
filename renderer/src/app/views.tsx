import { lazy } from 'react'

/**
 * The output view and settings are separate features, loaded on first use so the board paints
 * first.
 */
export const LazyOutputView = lazy(async () => ({
  default: (await import('../output/OutputView.tsx')).OutputView,
}))
export const LazySettings = lazy(async () => ({
  default: (await import('../settings/Settings.tsx')).Settings,
}))
