/** Up to `limit` candidates that look like a mistyped `name` (edit distance, case-insensitive, substrings). */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const related = wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower));
    // A slip in the first part of a longer name ("gian" for "gainDb").
    const prefixTypo = wanted.length >= 4 && editDistance(wanted, lower.slice(0, wanted.length)) <= 1;
    if (distance <= Math.max(2, Math.floor(lower.length / 3)) || related || prefixTypo) {
      scored.push({ candidate, score: related || prefixTypo ? Math.min(distance, 1) : distance });
    }
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** Optimal-string-alignment distance: swapped neighbours ("gian"/"gain") count as one edit, as people type them. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
