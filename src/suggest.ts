// "Did you mean ...?" for a mistyped command, subcommand or flag: the known
// name nearest by edit distance (a swap of two neighbouring letters counts
// as one edit), when it is near enough to be what the user meant.

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name nearest to `given`, or null when none is near: at most 2
 * edits, and fewer than half the letters (so `ab` does not suggest `ci`).
 * A name that starts with what was given (`gen` for `generate`) also counts.
 */
export function nearest(given: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(given, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  if (best !== null && bestDistance <= 2 && bestDistance * 2 < Math.max(given.length, 2))
    return best;
  const prefixed = known.filter((name) => given.length >= 2 && name.startsWith(given));
  return prefixed.length === 1 ? prefixed[0]! : null;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(given: string, known: readonly string[], prefix = ''): string {
  const name = nearest(given, known);
  return name === null ? '' : `; did you mean '${prefix}${name}'?`;
}
