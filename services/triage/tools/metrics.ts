import { TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { expectedCalibrationError } from '../src/domain/classifier/calibration';

export interface Scored {
  truth: TicketCategory;
  predicted: TicketCategory;
  confidence: number;
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  ece: number;
  perClass: Record<string, ClassReport>;
}

export function score(rows: readonly Scored[]): Report {
  const perClass: Record<string, ClassReport> = {};
  const f1s: number[] = [];
  for (const c of TICKET_CATEGORIES) {
    const tp = rows.filter((r) => r.predicted === c && r.truth === c).length;
    const fp = rows.filter((r) => r.predicted === c && r.truth !== c).length;
    const fn = rows.filter((r) => r.predicted !== c && r.truth === c).length;
    const support = tp + fn;
    if (support === 0 && fp === 0) continue;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision: r3(precision), recall: r3(recall), f1: r3(f1), support };
    if (support > 0) f1s.push(f1);
  }
  const correct = rows.map((r) => r.predicted === r.truth);
  const { ece } = expectedCalibrationError(rows.map((r) => r.confidence), correct);
  return {
    n: rows.length,
    accuracy: r3(correct.filter(Boolean).length / Math.max(rows.length, 1)),
    macroF1: r3(f1s.reduce((a, b) => a + b, 0) / Math.max(f1s.length, 1)),
    ece: r3(ece),
    perClass,
  };
}

/** Share of tickets at or above each threshold, and how often those are right. */
export function coverageCurve(rows: readonly Scored[], thresholds: number[]): Array<{ threshold: number; coverage: number; precision: number; n: number }> {
  return thresholds.map((t) => {
    const kept = rows.filter((r) => r.confidence >= t);
    const right = kept.filter((r) => r.predicted === r.truth).length;
    return { threshold: t, coverage: r3(kept.length / Math.max(rows.length, 1)), precision: r3(kept.length ? right / kept.length : 1), n: kept.length };
  });
}

export function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
