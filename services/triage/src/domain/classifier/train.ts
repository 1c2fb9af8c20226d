import { createHash } from 'node:crypto';
import { TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { fitTemperature } from './calibration';
import { LogisticRegression } from './logreg';
import { ModelFile, TextClassifier } from './model';
import { mulberry32, shuffled } from './rng';
import { ticketText } from './tokenize';
import { TfidfVectorizer } from './vectorizer';

export interface LabeledTicket {
  id: string;
  summary: string;
  description: string;
  category: TicketCategory;
  /** Examples written from one template share a group, so splits never leak a template across sides. */
  group?: string;
}

export interface TrainOptions {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  minDf: number;
  maxFeatures: number;
  calibrationFolds: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 20261130, epochs: 14, learningRate: 0.6, l2: 1e-5, minDf: 2, maxFeatures: 12000, calibrationFolds: 5,
};

function fitRaw(rows: readonly LabeledTicket[], o: TrainOptions): { vec: TfidfVectorizer; lr: LogisticRegression } {
  const texts = rows.map((r) => ticketText(r.summary, r.description));
  const vec = TfidfVectorizer.fit(texts, { minDf: o.minDf, maxFeatures: o.maxFeatures });
  const xs = texts.map((t) => vec.transform(t));
  const ys = rows.map((r) => TICKET_CATEGORIES.indexOf(r.category));
  const lr = LogisticRegression.train(xs, ys, TICKET_CATEGORIES.length, vec.size, o);
  return { vec, lr };
}

/** Group-aware k folds (deterministic): every example of a template group lands in the same fold. */
export function groupFolds(rows: readonly LabeledTicket[], k: number, seed: number): number[] {
  const groups = [...new Set(rows.map((r) => r.group ?? r.id))].sort();
  const order = shuffled(groups, mulberry32(seed));
  const foldOf = new Map(order.map((g, i) => [g, i % k]));
  return rows.map((r) => foldOf.get(r.group ?? r.id)!);
}

/**
 * Trains the classifier and calibrates it: the temperature is fitted on out-of-fold logits (each example
 * scored by a model that never saw it), then the final model is trained on everything.
 */
export function trainClassifier(rows: readonly LabeledTicket[], options: Partial<TrainOptions> = {}): TextClassifier {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const sorted = rows.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const folds = groupFolds(sorted, o.calibrationFolds, o.seed);
  const oofLogits: Float64Array[] = [];
  const oofLabels: number[] = [];
  for (let f = 0; f < o.calibrationFolds; f++) {
    const train = sorted.filter((_, i) => folds[i] !== f);
    const held = sorted.filter((_, i) => folds[i] === f);
    if (held.length === 0 || train.length === 0) continue;
    const { vec, lr } = fitRaw(train, o);
    for (const r of held) {
      oofLogits.push(lr.logits(vec.transform(ticketText(r.summary, r.description))));
      oofLabels.push(TICKET_CATEGORIES.indexOf(r.category));
    }
  }
  const temperature = fitTemperature(oofLogits, oofLabels);
  const { vec, lr } = fitRaw(sorted, o);
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  const file: ModelFile = {
    format: 'desk-triage-tfidf-logreg/1',
    classes: [...TICKET_CATEGORIES],
    vocab: vec.state.vocab,
    idf: vec.state.idf,
    weights: lr.state.weights.map((w) => w.map(round)),
    bias: lr.state.bias.map(round),
    temperature,
    meta: {
      seed: o.seed,
      examples: sorted.length,
      dataSha256: createHash('sha256').update(JSON.stringify(sorted.map((r) => [r.id, r.category, r.summary, r.description]))).digest('hex'),
      options: { ...o },
    },
  };
  return new TextClassifier(file);
}
