import type { Derived, DeriveInput } from '../../../shared/domain/derive.ts'
import type { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'

/**
 * One output as one member has it open: the workspace, the output's document and who is looking.
 * The output view hands it to the parts that act on the output (comments, notices, history).
 */
export interface OutputScope {
  ws: Workspace
  out: OutputDoc
  memberId: string
}

/** The same, with what the output's state says: the derive input and what follows from it. */
export interface DerivedScope extends OutputScope {
  input: DeriveInput
  derived: Derived
}
