// A unified diff (as `diff -u` prints it) of two texts, for `ci check`.
// Line-based LCS; workflow files are a few hundred lines, so O(n*m) is fine.
type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  if (text === '') return [];
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // deletions before insertions, as diff -u prints a changed line
      ops.push({ kind: '-', line: a[i]! });
      i++;
    } else {
      ops.push({ kind: '+', line: b[j]! });
      j++;
    }
  }
  return ops;
}

// A hunk range as GNU diff prints it: "start,len", just "start" for one
// line, and the line before the hunk for an empty range.
function range(start: number, len: number): string {
  if (len === 0) return `${start - 1},0`;
  return len === 1 ? `${start}` : `${start},${len}`;
}

/**
 * The text with CRLF line endings as LF. A Windows checkout (git's
 * core.autocrlf) holds the same lines with CRLF; they are not a change.
 */
export function normalizeEol(text: string): string {
  return text.replaceAll('\r\n', '\n');
}

/** Equal line by line, whatever the line endings; null (no file) only equals null. */
export function sameText(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : normalizeEol(a) === normalizeEol(b);
}

/** '' when equal (line endings normalised); otherwise a unified diff with `context` lines around each change. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldName: string,
  newName: string,
  context = 3,
): string {
  if (sameText(oldText, newText)) return '';
  const ops = editScript(lines(normalizeEol(oldText)), lines(normalizeEol(newText)));
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]! + context;
    while (k + 1 < changed.length && changed[k + 1]! - context <= end + 1) {
      k++;
      end = changed[k]! + context;
    }
    end = Math.min(ops.length - 1, end);
    k++;
    const before = ops.slice(0, start);
    const hunk = ops.slice(start, end + 1);
    const oldStart = before.filter((o) => o.kind !== '+').length + 1;
    const newStart = before.filter((o) => o.kind !== '-').length + 1;
    const oldLen = hunk.filter((o) => o.kind !== '+').length;
    const newLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@`);
    out.push(...hunk.map((o) => `${o.kind}${o.line}`));
  }
  // Same lines, different bytes: only the final newline can differ.
  if (out.length === 2) out.push('@@ the files differ only in the final newline @@');
  return out.join('\n') + '\n';
}
