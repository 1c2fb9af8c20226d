import { TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { z } from 'zod';
import { softmax } from './logreg';
import { TfidfVectorizer } from './vectorizer';

export const ModelFile = z.object({
  format: z.literal('desk-triage-tfidf-logreg/1'),
  classes: z.array(z.enum(TICKET_CATEGORIES)),
  vocab: z.array(z.string()),
  idf: z.array(z.number()),
  weights: z.array(z.array(z.number())),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  meta: z.object({
    seed: z.number(),
    examples: z.number(),
    dataSha256: z.string(),
    options: z.record(z.string(), z.number()),
  }),
});
export type ModelFile = z.infer<typeof ModelFile>;

export interface Prediction {
  category: TicketCategory;
  confidence: number;
  /** Every class with its calibrated probability, best first. */
  ranked: Array<{ category: TicketCategory; confidence: number }>;
}

/** The trained, calibrated text classifier (pure: load it from JSON, call predict). */
export class TextClassifier {
  private readonly vectorizer: TfidfVectorizer;
  /** Feature-major weights (f * classes + c): one pass over a ticket's features fills every class score. */
  private readonly w: Float64Array;
  private readonly b: Float64Array;

  constructor(readonly file: ModelFile) {
    if (file.weights.length !== file.classes.length || file.idf.length !== file.vocab.length) {
      throw new Error('triage model file is inconsistent (classes/weights or vocab/idf differ in length)');
    }
    this.vectorizer = new TfidfVectorizer({ vocab: file.vocab, idf: file.idf });
    const C = file.classes.length;
    this.w = new Float64Array(file.vocab.length * C);
    file.weights.forEach((row, c) => row.forEach((v, f) => (this.w[f * C + c] = v)));
    this.b = Float64Array.from(file.bias);
  }

  static fromJson(raw: unknown): TextClassifier {
    return new TextClassifier(ModelFile.parse(raw));
  }

  logits(text: string): Float64Array {
    const x = this.vectorizer.transform(text);
    const C = this.b.length;
    const out = Float64Array.from(this.b);
    for (let k = 0; k < x.idx.length; k++) {
      const base = x.idx[k]! * C;
      const v = x.val[k]!;
      for (let c = 0; c < C; c++) out[c] = out[c]! + this.w[base + c]! * v;
    }
    return out;
  }

  predict(text: string): Prediction {
    const p = softmax(this.logits(text), this.file.temperature);
    const ranked = this.file.classes
      .map((category, i) => ({ category, confidence: p[i]! }))
      .sort((a, b) => b.confidence - a.confidence);
    return { category: ranked[0]!.category, confidence: ranked[0]!.confidence, ranked };
  }
}
