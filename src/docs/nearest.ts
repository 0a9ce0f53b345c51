// "Did you mean": the real name closest to a stale one. Names are compared by
// their dash-separated words first (wsl-base is nearer to wsl-home-base than
// to base), then by edit distance.

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function wordOverlap(a: string, b: string): number {
  const wa = new Set(a.toLowerCase().split(/[-_.]/));
  const wb = new Set(b.toLowerCase().split(/[-_.]/));
  const common = [...wa].filter((w) => wb.has(w)).length;
  return common / new Set([...wa, ...wb]).size;
}

export function nearest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestKey: [number, number] = [-1, Infinity];
  for (const c of candidates) {
    const key: [number, number] = [wordOverlap(name, c), editDistance(name, c)];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = c;
      bestKey = key;
    }
  }
  // A candidate sharing no word and most of its letters is no suggestion.
  if (best !== null && bestKey[0] === 0 && bestKey[1] > Math.max(name.length, best.length) / 2)
    return null;
  return best;
}
