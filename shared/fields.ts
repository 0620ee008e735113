/**
 * A small field builder for values that arrive from other peers: declare a record's fields once,
 * get its type (`Infer`) and a check that says which field is at fault. Plain closures, no copies,
 * no code generation: trail events are checked on every derivation, in windows whose content
 * security policy forbids `eval`, so this stays a few times faster than a general schema library.
 */
import { isNum, isObj, isStr, type Raw } from './guards.ts'

export interface Field<T, Optional extends boolean = boolean> {
  /** Whether a value is acceptable for this field (an absent one is `undefined`). */
  readonly check: (v: unknown) => boolean
  readonly optional: Optional
  /** Type only: the field's value type. */
  readonly _type?: T
}

const field = <T>(check: (v: unknown) => boolean): Field<T, false> => ({ check, optional: false })

export const f = {
  str: () => field<string>(isStr),
  /** A string with at least one character. */
  named: () => field<string>((v) => isStr(v) && v.length > 0),
  /** A content or policy hash: one to 128 characters. */
  hash: () => field<string>((v) => isStr(v) && v.length > 0 && v.length <= 128),
  /** A finite number. */
  num: () => field<number>(isNum),
  int: (min: number) => field<number>((v) => isNum(v) && Number.isInteger(v) && v >= min),
  bool: () => field<boolean>((v) => typeof v === 'boolean'),
  literal: <const L extends string | number>(value: L) => field<L>((v) => v === value),
  oneOf: <const L extends readonly string[]>(values: L) =>
    field<L[number]>((v) => (values as readonly unknown[]).includes(v)),
  strings: () => field<string[]>((v) => Array.isArray(v) && v.every(isStr)),
  /** A plain object with any fields. */
  record: () => field<Record<string, unknown>>(isObj),
  /** Typed, but not checked: for a field readers tolerate junk in (they check where they use it). */
  unchecked: <T>() => field<T>(() => true),
}

/** The field may be absent; if present it must check. */
export const optional = <T>(inner: Field<T>): Field<T, true> => ({
  check: (v) => v === undefined || inner.check(v),
  optional: true,
})

export type Shape = Record<string, Field<unknown>>
type ValueOf<F> = F extends Field<infer T> ? T : never
type Flat<T> = { [K in keyof T]: T[K] }
/** The record type a shape declares: optional fields become optional properties. */
export type Infer<S> = Flat<
  { [K in keyof S as S[K] extends Field<unknown, true> ? never : K]: ValueOf<S[K]> } & {
    [K in keyof S as S[K] extends Field<unknown, true> ? K : never]?: ValueOf<S[K]>
  }
>

/** A check of `shape`: the first field (in declaration order) that a record fails, or undefined. */
export function checker(shape: Shape): (raw: Raw) => string | undefined {
  const keys = Object.keys(shape)
  const checks = keys.map((k) => shape[k]!.check)
  return (raw) => {
    for (let i = 0; i < keys.length; i++) if (!checks[i]!(raw[keys[i]!])) return keys[i]
    return undefined
  }
}

type Defaults<S> = { [K in keyof S as S[K] extends Field<unknown, true> ? never : K]: ValueOf<S[K]> }

/**
 * Reads a record field by field, for rows that take read-time defaults instead of migrations: a
 * field that fails its check takes its default (a required one) or is left out (an optional one).
 */
export function readFields<S extends Shape>(
  shape: S,
  get: (key: string) => unknown,
  defaults: Defaults<S>,
): Infer<S> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(shape)) {
    const v = get(key)
    if (v !== undefined && shape[key]!.check(v)) out[key] = v
    else if (Object.hasOwn(defaults, key)) out[key] = (defaults as Record<string, unknown>)[key]
  }
  return out as Infer<S>
}
