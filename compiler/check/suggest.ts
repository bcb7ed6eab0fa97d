// "Did you mean ...?" for unknown names and options: the closest candidate by edit distance,
// when it is close enough to be a likely typo.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  // One edit turns any one-letter name into any other: only longer names get suggestions by
  // distance (`x` is not a typo of `M`, but `X` may be of `x`).
  const longest = Math.max(name.length, best.length);
  const limit = longest <= 2 ? 0 : Math.max(1, Math.floor(longest / 3));
  return bestDistance <= limit ? best : undefined;
}

/** " (did you mean `x`?)"-style help text, or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const c = closestName(name, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
