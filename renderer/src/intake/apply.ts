export { type ApplyResult, applyIntakeItem, intakeStatus, resolveType } from '../../../shared/intake/apply.ts'
