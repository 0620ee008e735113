import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it, and
 * focus returns to where it was. `onClose` runs however it was closed.
 */
export function Modal({
  title,
  onClose,
  children,
  wide = false,
  restoreFocus,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  wide?: boolean
  /** Asked as the dialog closes: false when its outcome puts the focus elsewhere (a new card). */
  restoreFocus?: () => boolean
}) {
  const restore = useRef(restoreFocus)
  restore.current = restoreFocus
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const before = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    return () => {
      if (dialog.open) dialog.close()
      if (restore.current?.() !== false) before?.focus?.()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className={wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  )
}
