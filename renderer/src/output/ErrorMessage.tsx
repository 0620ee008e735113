/** Why the last action here did not happen, in words; nothing while there is no error. */
export function ErrorMessage({ error, id }: { error: string | null | undefined; id?: string }) {
  if (!error) return null
  return (
    <p id={id} role="alert" className="ov-message ov-message-error">
      {error}
    </p>
  )
}
