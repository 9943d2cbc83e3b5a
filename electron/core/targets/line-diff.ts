/**
 * A line diff for previews of Artikey's own edits: they touch a few lines of a small file, so
 * the common head and tail are trimmed first and only the middle is compared (longest common
 * subsequence while that stays cheap, a plain replace-all beyond).
 */
export interface LineChange {
  /** 1-based line number in the new text; null for a line that is removed. */
  line: number | null;
  before: string | null;
  after: string | null;
}

/** Cells of the LCS table the middle may need before we stop looking for common lines. */
const MAX_TABLE_CELLS = 4_000_000;

type Op = { op: 'keep' } | { op: 'remove'; before: number } | { op: 'add'; after: number };

/**
 * What turns `before` into `after`, in file order. A run of removed lines followed by added
 * lines pairs up as changed lines (the first removed with the first added, and so on); what is
 * left over is a pure removal or addition.
 */
export function diffLines(before: readonly string[], after: readonly string[]): LineChange[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const ops = middleOps(before, after, head, before.length - tail, head, after.length - tail);
  return pairUp(ops, before, after);
}

function middleOps(
  before: readonly string[],
  after: readonly string[],
  b0: number,
  b1: number,
  a0: number,
  a1: number,
): Op[] {
  const n = b1 - b0;
  const m = a1 - a0;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_TABLE_CELLS) {
    return [
      ...range(b0, b1).map((i): Op => ({ op: 'remove', before: i })),
      ...range(a0, a1).map((j): Op => ({ op: 'add', after: j })),
    ];
  }
  // lengths[i][j]: LCS length of before[b0+i..b1) and after[a0+j..a1).
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        before[b0 + i] === after[a0 + j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[b0 + i] === after[a0 + j]) {
      ops.push({ op: 'keep' });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      ops.push({ op: 'remove', before: b0 + i++ });
    } else {
      ops.push({ op: 'add', after: a0 + j++ });
    }
  }
  while (i < n) ops.push({ op: 'remove', before: b0 + i++ });
  while (j < m) ops.push({ op: 'add', after: a0 + j++ });
  return ops;
}

function pairUp(ops: Op[], before: readonly string[], after: readonly string[]): LineChange[] {
  const changes: LineChange[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = (): void => {
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++)
      changes.push({ line: added[k]! + 1, before: before[removed[k]!]!, after: after[added[k]!]! });
    for (const r of removed.slice(pairs))
      changes.push({ line: null, before: before[r]!, after: null });
    for (const a of added.slice(pairs))
      changes.push({ line: a + 1, before: null, after: after[a]! });
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.op === 'keep') flush();
    else if (op.op === 'remove') {
      // A removal after additions starts a new run: keep each run's lines in file order.
      if (added.length > 0) flush();
      removed.push(op.before);
    } else added.push(op.after);
  }
  flush();
  return changes;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
