/**
 * What a ticket is about, learnt from labelled ticket texts (seed examples and confidently triaged tickets):
 * a multinomial naive Bayes over word and word-pair presence, with uniform class priors (the mix of
 * categories in the examples says nothing about the next ticket). It only orders documents by category in the
 * search fusion; it never filters, so a wrong guess costs rank, not recall.
 */
export interface LabelledText {
  category: string;
  text: string;
}

export interface CategoryScore {
  category: string;
  /** Posterior probability (over the categories seen in the examples). */
  p: number;
}

const STOP = new Set(('a an and are as at be but by can could do does for from get got has have he her hi his how i if in is it its '
  + 'just me my no not of on or our please pls she so that the their them there they this to too up us was we were what when will with '
  + 'would you your thanks thank hello hey regards').split(' '));

/** Light stemming: enough to meet "printing"/"printer"/"prints" and "locked"/"locks" without a dictionary. */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('er')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Features of a text: distinct stemmed words (no stop words, no numbers) and adjacent word pairs. */
export function features(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}][\p{L}\p{N}'-]*/gu) ?? [])
    .map((w) => w.replace(/'s$|'/g, ''))
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
  const out = new Set<string>(words);
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return [...out];
}

export class CategoryModel {
  private constructor(
    private readonly categories: string[],
    private readonly logLikelihood: Map<string, Float64Array>,
  ) {}

  static train(examples: readonly LabelledText[], alpha = 0.1): CategoryModel {
    const categories = [...new Set(examples.map((e) => e.category))].sort();
    const index = new Map(categories.map((c, i) => [c, i]));
    const counts = new Map<string, Float64Array>();
    const totals = new Float64Array(categories.length);
    for (const e of examples) {
      const c = index.get(e.category)!;
      for (const f of features(e.text)) {
        let row = counts.get(f);
        if (!row) counts.set(f, (row = new Float64Array(categories.length)));
        row[c]! += 1;
        totals[c]! += 1;
      }
    }
    const vocabulary = counts.size || 1;
    const denominators = Array.from(totals, (t) => Math.log(t + alpha * vocabulary));
    const logLikelihood = new Map<string, Float64Array>();
    for (const [f, row] of counts) logLikelihood.set(f, row.map((n, c) => Math.log(n + alpha) - denominators[c]!));
    return new CategoryModel(categories, logLikelihood);
  }

  get size(): number {
    return this.categories.length;
  }

  /** Categories by posterior, most likely first. Features no example had say nothing and are skipped. */
  predict(text: string): CategoryScore[] {
    if (!this.categories.length) return [];
    const logp = new Float64Array(this.categories.length);
    let known = 0;
    for (const f of features(text)) {
      const row = this.logLikelihood.get(f);
      if (!row) continue;
      known++;
      for (let c = 0; c < logp.length; c++) logp[c]! += row[c]!;
    }
    if (!known) return [];
    const max = Math.max(...logp);
    const exp = Array.from(logp, (l) => Math.exp(l - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return this.categories.map((category, c) => ({ category, p: exp[c]! / sum })).sort((a, b) => b.p - a.p || a.category.localeCompare(b.category));
  }
}
