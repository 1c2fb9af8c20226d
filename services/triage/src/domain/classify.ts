import { TicketCategory } from '@desk/contracts';
import { TextClassifier } from './classifier/model';
import { ticketText } from './classifier/tokenize';
import { applyRules } from './rules';

export interface CategoryDecision {
  category: TicketCategory;
  confidence: number;
  alternatives: Array<{ category: TicketCategory; confidence: number }>;
  classifier: 'embedded' | 'rules' | 'llm';
  rule: string | null;
}

/** Confidence given to the security screen's verdict: a reported incident is never a model guess. */
export const SECURITY_CONFIDENCE = 0.97;
/** Below this, a model-only security_incident guess (no screen signal) is not trusted. */
export const UNSURE_SECURITY = 0.6;

/** Rules first (alert formats, unmistakable phrases), the calibrated model otherwise; the security screen overrides both. */
export function decideCategory(
  model: TextClassifier,
  input: { summary: string; description: string; channel: string; alertCondition: string | null; securityIncident: boolean },
): CategoryDecision {
  const pred = model.predict(ticketText(input.summary, input.description));
  const alternatives = pred.ranked.slice(0, 3).map((r) => ({ category: r.category, confidence: round(r.confidence) }));
  if (input.securityIncident) {
    return { category: 'security_incident', confidence: SECURITY_CONFIDENCE, alternatives, classifier: 'rules', rule: 'security-screen' };
  }
  const hit = applyRules(input);
  if (hit) {
    const modelAgrees = pred.category === hit.category;
    return { category: hit.category, confidence: round(modelAgrees ? Math.max(hit.confidence, pred.confidence) : hit.confidence), alternatives, classifier: 'rules', rule: hit.rule };
  }
  // The model's security class is broad; an unsure security guess with no screen signal is a word-level
  // artefact, not a report. The runner-up stands, with its own (low) confidence, so a human still decides.
  if (pred.category === 'security_incident' && pred.confidence < UNSURE_SECURITY && pred.ranked[1]) {
    return { category: pred.ranked[1].category, confidence: round(pred.ranked[1].confidence), alternatives, classifier: 'embedded', rule: 'unsure-security-guess' };
  }
  return { category: pred.category, confidence: round(pred.confidence), alternatives, classifier: 'embedded', rule: null };
}

function round(x: number): number {
  // Never claim certainty: 1.0 would pass any threshold, including a policy that means "never".
  return Math.min(0.9999, Math.round(x * 10000) / 10000);
}
