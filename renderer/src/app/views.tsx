import { lazy } from 'react'

/**
 * The output view, Insight and settings are separate features, loaded on first use so the board paints
 * first.
 */
export const LazyOutputView = lazy(async () => ({
  default: (await import('../output/OutputView.tsx')).OutputView,
}))
export const LazyInsight = lazy(async () => ({
  default: (await import('../insight/Dashboard.tsx')).Dashboard,
}))
export const LazySettings = lazy(async () => ({
  default: (await import('../settings/Settings.tsx')).Settings,
}))
