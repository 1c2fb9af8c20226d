import { SparseVec } from './vectorizer';
import { mulberry32, shuffled } from './rng';

export interface LogRegState {
  /** weights[c][f] */
  weights: number[][];
  bias: number[];
}

export interface LogRegOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/** Multinomial logistic regression trained by seeded SGD (deterministic for a given seed and data order). */
export class LogisticRegression {
  constructor(readonly state: LogRegState) {}

  get classes(): number {
    return this.state.bias.length;
  }

  logits(x: SparseVec): Float64Array {
    const { weights, bias } = this.state;
    const out = new Float64Array(bias.length);
    for (let c = 0; c < bias.length; c++) {
      const w = weights[c]!;
      let s = bias[c]!;
      for (let k = 0; k < x.idx.length; k++) s += w[x.idx[k]!]! * x.val[k]!;
      out[c] = s;
    }
    return out;
  }

  static train(xs: readonly SparseVec[], ys: readonly number[], nClasses: number, nFeatures: number, opts: LogRegOptions): LogisticRegression {
    const weights = Array.from({ length: nClasses }, () => new Array<number>(nFeatures).fill(0));
    const bias = new Array<number>(nClasses).fill(0);
    const model = new LogisticRegression({ weights, bias });
    const rand = mulberry32(opts.seed);
    const order = xs.map((_, i) => i);
    // Lazy L2 via a global scale would be faster; the data is small, so plain decay per touched weight is enough.
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const lr = opts.learningRate / (1 + epoch * 0.15);
      for (const i of shuffled(order, rand)) {
        const x = xs[i]!;
        const p = softmax(model.logits(x), 1);
        for (let c = 0; c < nClasses; c++) {
          const g = p[c]! - (ys[i] === c ? 1 : 0);
          const w = weights[c]!;
          for (let k = 0; k < x.idx.length; k++) {
            const f = x.idx[k]!;
            w[f] = w[f]! - lr * (g * x.val[k]! + opts.l2 * w[f]!);
          }
          bias[c] = bias[c]! - lr * g;
        }
      }
    }
    return model;
  }
}

export function softmax(logits: ArrayLike<number>, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}
