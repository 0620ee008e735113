/**
 * Word-level differences between two versions. Tokens are words, runs of whitespace and single
 * punctuation marks, so whitespace is kept and joining the tokens gives back the text exactly.
 * Myers' O((N+M)·D) algorithm after trimming the common prefix and suffix; when the versions
 * differ in more than `maxEdits` tokens the middle is reported as one removal and one addition
 * (`approximate`), which keeps a 50 KB rewrite fast and bounded in memory.
 */

export type DiffOp = 'equal' | 'added' | 'removed'

export interface DiffSegment {
  op: DiffOp
  text: string
}

export interface WordDiff {
  segments: DiffSegment[]
  /** Counted in words (whitespace tokens not counted). */
  added: number
  removed: number
  /** True when the versions differed too much for a word-by-word answer in the middle. */
  approximate: boolean
}

const TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? []
}

const isSpace = (t: string) => /^\s+$/.test(t)

/** The word-level difference from `a` (before) to `b` (after). */
export function wordDiff(a: string, b: string, maxEdits = 2000): WordDiff {
  const x = tokenize(a)
  const y = tokenize(b)
  let start = 0
  while (start < x.length && start < y.length && x[start] === y[start]) start++
  let endX = x.length
  let endY = y.length
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--
    endY--
  }
  const ops: { op: DiffOp; token: string }[] = []
  for (let i = 0; i < start; i++) ops.push({ op: 'equal', token: x[i]! })
  const middle = myers(x.slice(start, endX), y.slice(start, endY), maxEdits)
  const approximate = middle === null
  if (middle) ops.push(...middle)
  else {
    for (let i = start; i < endX; i++) ops.push({ op: 'removed', token: x[i]! })
    for (let j = start; j < endY; j++) ops.push({ op: 'added', token: y[j]! })
  }
  for (let i = endX; i < x.length; i++) ops.push({ op: 'equal', token: x[i]! })
  const segments: DiffSegment[] = []
  let added = 0
  let removed = 0
  for (const { op, token } of ops) {
    if (op === 'added' && !isSpace(token)) added++
    if (op === 'removed' && !isSpace(token)) removed++
    const last = segments[segments.length - 1]
    if (last && last.op === op) last.text += token
    else segments.push({ op, text: token })
  }
  return { segments: tidy(segments), added, removed, approximate }
}

/** Removed text before added text where they touch, so a replacement reads "old → new". */
function tidy(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = []
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!
    const next = segments[i + 1]
    if (s.op === 'added' && next?.op === 'removed') {
      out.push(next, s)
      i++
    } else out.push(s)
  }
  // Merge again after reordering.
  const merged: DiffSegment[] = []
  for (const s of out) {
    const last = merged[merged.length - 1]
    if (last && last.op === s.op) last.text += s.text
    else merged.push({ ...s })
  }
  return merged
}

/** Myers' greedy shortest edit script; null when more than `maxEdits` edits are needed. */
function myers(x: string[], y: string[], maxEdits: number): { op: DiffOp; token: string }[] | null {
  const n = x.length
  const m = y.length
  if (n === 0) return y.map((token) => ({ op: 'added' as const, token }))
  if (m === 0) return x.map((token) => ({ op: 'removed' as const, token }))
  const max = Math.min(n + m, maxEdits)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let px: number
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) px = v[offset + k + 1]!
      else px = v[offset + k - 1]! + 1
      let py = px - k
      while (px < n && py < m && x[px] === y[py]) {
        px++
        py++
      }
      v[offset + k] = px
      if (px >= n && py >= m) {
        found = d
        break
      }
    }
    if (found >= 0) break
  }
  if (found < 0) return null
  // Walk back through the saved frontiers.
  const ops: { op: DiffOp; token: string }[] = []
  let px = n
  let py = m
  for (let d = found; d > 0; d--) {
    const saved = trace[d]!
    // saved[i] holds v[k] for k = i - d - 1 at the start of round d (the frontier of round d - 1).
    const at = (k: number) => saved[k + d + 1]!
    const k = px - py
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    while (px > prevX && py > prevY) {
      px--
      py--
      ops.push({ op: 'equal', token: x[px]! })
    }
    if (prevK === k + 1) {
      py--
      ops.push({ op: 'added', token: y[py]! })
    } else {
      px--
      ops.push({ op: 'removed', token: x[px]! })
    }
  }
  while (px > 0 && py > 0) {
    px--
    py--
    ops.push({ op: 'equal', token: x[px]! })
  }
  return ops.reverse()
}

/** The "before" side (equal and removed) and the "after" side (equal and added). */
export function sides(diff: WordDiff): { before: string; after: string } {
  let before = ''
  let after = ''
  for (const s of diff.segments) {
    if (s.op !== 'added') before += s.text
    if (s.op !== 'removed') after += s.text
  }
  return { before, after }
}
