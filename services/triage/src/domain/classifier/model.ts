import { TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { z } from 'zod';
import { LogisticRegression, softmax } from './logreg';
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
  private readonly lr: LogisticRegression;

  constructor(readonly file: ModelFile) {
    if (file.weights.length !== file.classes.length || file.idf.length !== file.vocab.length) {
      throw new Error('triage model file is inconsistent (classes/weights or vocab/idf differ in length)');
    }
    this.vectorizer = new TfidfVectorizer({ vocab: file.vocab, idf: file.idf });
    this.lr = new LogisticRegression({ weights: file.weights, bias: file.bias });
  }

  static fromJson(raw: unknown): TextClassifier {
    return new TextClassifier(ModelFile.parse(raw));
  }

  logits(text: string): Float64Array {
    return this.lr.logits(this.vectorizer.transform(text));
  }

  predict(text: string): Prediction {
    const p = softmax(this.logits(text), this.file.temperature);
    const ranked = this.file.classes
      .map((category, i) => ({ category, confidence: p[i]! }))
      .sort((a, b) => b.confidence - a.confidence);
    return { category: ranked[0]!.category, confidence: ranked[0]!.confidence, ranked };
  }
}
