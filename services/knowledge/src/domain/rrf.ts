/** One ranked list (best first) of item keys, with how much it counts in the fusion. */
export interface RankedList {
  name: string;
  keys: string[];
  weight?: number;
  /** Per-item multiplier of the weight (same order as keys), e.g. how sure a classifier is of the item's class. */
  scales?: number[];
}

export interface Fused {
  key: string;
  score: number;
  /** Rank (1-based) of the item in each list it appeared in. */
  ranks: Record<string, number>;
}

/**
 * Reciprocal-rank fusion: score = Σ weight / (k + rank). Only ranks matter, so lists with incomparable
 * scores (ts_rank_cd, trigram similarity, cosine) combine without calibration; a list may scale its items by a
 * calibrated confidence (a category posterior). Ties keep first-list order.
 */
export function reciprocalRankFusion(lists: RankedList[], k = 60): Fused[] {
  const byKey = new Map<string, Fused>();
  const order: string[] = [];
  for (const list of lists) {
    const w = list.weight ?? 1;
    list.keys.forEach((key, i) => {
      let f = byKey.get(key);
      if (!f) {
        f = { key, score: 0, ranks: {} };
        byKey.set(key, f);
        order.push(key);
      }
      if (f.ranks[list.name] !== undefined) return;
      f.ranks[list.name] = i + 1;
      f.score += (w * (list.scales?.[i] ?? 1)) / (k + i + 1);
    });
  }
  const firstSeen = new Map(order.map((k2, i) => [k2, i]));
  return [...byKey.values()].sort((a, b) => b.score - a.score || firstSeen.get(a.key)! - firstSeen.get(b.key)!);
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
