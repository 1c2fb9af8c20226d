import { extractTerms, normaliseForModel } from './tokenize';

/** A sparse, L2-normalised TF-IDF vector. */
export interface SparseVec {
  idx: Int32Array;
  val: Float64Array;
}

export interface VectorizerState {
  vocab: string[];
  idf: number[];
}

/** TF-IDF with sublinear tf; the vocabulary is frozen at fit time (unknown terms are ignored). */
export class TfidfVectorizer {
  private readonly index = new Map<string, number>();

  constructor(readonly state: VectorizerState) {
    state.vocab.forEach((t, i) => this.index.set(t, i));
  }

  get size(): number {
    return this.state.vocab.length;
  }

  static fit(texts: readonly string[], opts: { minDf: number; maxFeatures: number }): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const t of texts) {
      for (const term of new Set(extractTerms(normaliseForModel(t)))) df.set(term, (df.get(term) ?? 0) + 1);
    }
    // Deterministic: by document frequency, then lexicographically.
    const kept = [...df.entries()]
      .filter(([, n]) => n >= opts.minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, opts.maxFeatures)
      .map(([term]) => term)
      .sort();
    const n = texts.length;
    const idf = kept.map((term) => round6(Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1));
    return new TfidfVectorizer({ vocab: kept, idf });
  }

  transform(text: string): SparseVec {
    const counts = new Map<number, number>();
    for (const term of extractTerms(normaliseForModel(text))) {
      const i = this.index.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const v = (1 + Math.log(counts.get(i)!)) * this.state.idf[i]!;
      val[k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < val.length; k++) val[k] = val[k]! / norm;
    return { idx, val };
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
