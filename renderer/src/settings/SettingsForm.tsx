import type { ComponentProps } from 'react'

type Props = Omit<ComponentProps<'form'>, 'onSubmit' | 'noValidate'> & { onSubmit: () => void }

/**
 * A settings form that checks its fields itself: our own messages, inline and in words, instead of
 * the browser's bubbles, and submitting calls `onSubmit` instead of loading a page.
 */
export function SettingsForm({ onSubmit, ...form }: Props) {
  return (
    <form
      {...form}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    />
  )
}
