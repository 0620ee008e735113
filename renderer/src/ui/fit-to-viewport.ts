import { type RefObject, useLayoutEffect } from 'react'

/**
 * Keeps a sticky side panel's bottom inside the window: its max-height is the room between where
 * it starts on screen now and the window's bottom edge, less `margin`. A panel that only said
 * `max-height: 100vh` reached below the window until the page was scrolled to where it sticks, so
 * what sits at its bottom (the review decision) was out of sight when an output opened. Follows
 * page scrolls and window resizes, once per frame.
 */
export function useFitToViewport(ref: RefObject<HTMLElement | null>, margin = 8): void {
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    let frame = 0
    const measure = () => {
      frame = 0
      // Only a panel that sticks beside the content: in a narrow window it sits below the
      // content, in the page's flow, and is as tall as what it holds (a cap cut off its checklist).
      if (getComputedStyle(el).position !== 'sticky') {
        el.style.maxHeight = ''
        return
      }
      const top = Math.max(el.getBoundingClientRect().top, margin)
      el.style.maxHeight = `${Math.max(160, window.innerHeight - top - margin)}px`
    }
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure)
    }
    measure()
    window.addEventListener('scroll', schedule, { passive: true })
    window.addEventListener('resize', schedule)
    // What sits above the panel can change height (a notice, the header taking a second row).
    const above = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(schedule)
    above?.observe(document.body)
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame)
      window.removeEventListener('scroll', schedule)
      window.removeEventListener('resize', schedule)
      above?.disconnect()
    }
  }, [ref, margin])
}
