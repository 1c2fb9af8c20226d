import { softmax } from './logreg';

/**
 * Temperature scaling: one scalar T that minimises the negative log-likelihood of held-out logits.
 * It keeps the ranking (argmax) and only rescales confidence, so 0.9 means "right ~9 in 10".
 */
export function fitTemperature(logits: readonly ArrayLike<number>[], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  const nll = (t: number): number => {
    let s = 0;
    for (let i = 0; i < logits.length; i++) s -= Math.log(Math.max(softmax(logits[i]!, t)[labels[i]!]!, 1e-12));
    return s / logits.length;
  };
  // Golden-section search on log T in [0.05, 20]: NLL is unimodal in T for a fixed model.
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = nll(Math.exp(a));
    } else {
      lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = nll(Math.exp(b));
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Expected calibration error over equal-width confidence bins. */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): { ece: number; bins: ReliabilityBin[] } {
  const out: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    let n = 0;
    let conf = 0;
    let acc = 0;
    confidences.forEach((c, i) => {
      if (c > lo && c <= hi) {
        n++;
        conf += c;
        acc += correct[i] ? 1 : 0;
      }
    });
    if (n === 0) continue;
    out.push({ lo, hi, count: n, meanConfidence: conf / n, accuracy: acc / n });
    ece += (n / confidences.length) * Math.abs(acc / n - conf / n);
  }
  return { ece, bins: out };
}
