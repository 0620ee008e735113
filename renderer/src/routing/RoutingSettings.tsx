/**
 * Settings → output type → "Routing": who is assigned to review on submission (a fixed person,
 * round-robin, or the least-busy member holding a role) and the backup who takes over a review
 * that runs past the SLA. Edits the type form's draft; the form's Save writes it.
 */
import { useId, useState } from 'react'
import type { Member } from '../../../shared/domain/types.ts'
import {
  NO_ROUTING,
  ROUTING_ROLES,
  ROUTING_STRATEGIES,
  type RoutingConfig,
  type RoutingStrategy,
} from '../../../shared/routing/config.ts'
import { NamedOptions } from '../chrome/form.tsx'
import type { TypeDraft, TypeEdit, TypeErrors } from '../settings/type-form.ts'
import { askNotificationPermission, type NotifyPermission, notificationPermission } from './permission.ts'

const STRATEGY_LABEL: Record<RoutingStrategy, string> = {
  none: 'No automatic assignment',
  fixed: 'Always the same person',
  'round-robin': 'Round-robin among a role',
  'least-busy': 'The least-busy member of a role',
}

interface Props {
  draft: TypeDraft
  members: readonly Member[]
  errors: TypeErrors
  dispatch: (edit: TypeEdit) => void
}

export function RoutingSettings({ draft, members, errors, dispatch }: Props) {
  const id = useId()
  const routing = draft.routing ?? NO_ROUTING
  const set = (patch: Partial<RoutingConfig>) => {
    const next: RoutingConfig = { ...routing, ...patch }
    if (next.strategy !== 'fixed') delete next.fixedMemberId
    if (!next.backupMemberId) delete next.backupMemberId
    dispatch({ kind: 'routing', value: next })
  }
  const fixedError = errors['routing.fixed']
  return (
    <fieldset className="st-group" aria-label="Routing">
      <legend>Routing</legend>
      <label className="st-field st-narrow">
        <span>Assign reviews</span>
        <select
          value={routing.strategy}
          onChange={(e) => set({ strategy: e.target.value as RoutingStrategy })}
        >
          {ROUTING_STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {STRATEGY_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      {routing.strategy === 'fixed' && (
        <label className="st-field st-narrow">
          <span id={`${id}-fixed-label`}>Reviewer</span>
          <select
            value={routing.fixedMemberId ?? ''}
            onChange={(e) => set({ fixedMemberId: e.target.value })}
            // Its name is the label alone, not the message inside the label too.
            aria-labelledby={`${id}-fixed-label`}
            {...(fixedError ? { 'aria-invalid': true, 'aria-describedby': `${id}-fixed` } : {})}
          >
            <option value="">Choose a member…</option>
            <NamedOptions of={members} />
          </select>
          {fixedError && (
            <span id={`${id}-fixed`} className="st-error">
              {fixedError}
            </span>
          )}
        </label>
      )}
      {(routing.strategy === 'round-robin' || routing.strategy === 'least-busy') && (
        <label className="st-field st-narrow">
          <span>Among members holding the role</span>
          <select
            value={routing.role}
            onChange={(e) => set({ role: e.target.value === 'approver' ? 'approver' : 'reviewer' })}
          >
            {ROUTING_ROLES.map((r) => (
              <option key={r} value={r}>
                {r === 'approver' ? 'Approver' : 'Reviewer'}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="st-field st-narrow">
        <span>Backup when a review runs past the SLA</span>
        <select
          value={routing.backupMemberId ?? ''}
          onChange={(e) => set({ backupMemberId: e.target.value })}
        >
          <option value="">Nobody (flag it only)</option>
          <NamedOptions of={members} />
        </select>
      </label>
      <p className="st-note">
        The author is never assigned when self-approval is not allowed. The first assignment of a review round
        counts on every device.
      </p>
      <NotificationPermissionButton />
    </fieldset>
  )
}

/** Ask for desktop notifications once, from a button (never on load). */
export function NotificationPermissionButton() {
  const [permission, setPermission] = useState<NotifyPermission>(notificationPermission)
  if (permission === 'unsupported') return null
  if (permission === 'granted')
    return <p className="st-note">Desktop notifications are on for assignments and overdue reviews.</p>
  if (permission === 'denied')
    return <p className="st-note">Desktop notifications are blocked; assignments still show in the app.</p>
  return (
    <button type="button" onClick={() => void askNotificationPermission().then(setPermission)}>
      Turn on desktop notifications
    </button>
  )
}
