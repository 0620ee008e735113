import { initials, personColor } from './presence.ts'

export function Avatar({ name, memberId, label }: { name: string; memberId: string; label?: string }) {
  return (
    <span
      className="avatar"
      style={{ background: personColor(memberId) }}
      title={label ?? name}
      role="img"
      aria-label={label ?? name}
    >
      {initials(name)}
    </span>
  )
}
