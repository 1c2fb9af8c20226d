import { TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { z } from 'zod';
import { CategoryDecision } from './classify';

/** What an LLM may tell triage: a category with a confidence and a short reason. Nothing else is read. */
export const LlmSuggestion = z.object({
  category: z.enum(TICKET_CATEGORIES),
  confidence: z.number().min(0).max(1),
  reason: z.string().max(500),
});
export type LlmSuggestion = z.infer<typeof LlmSuggestion>;

export interface CategorySuggester {
  /** Null on timeout, error or an answer that fails validation: the embedded model then decides alone. */
  suggest(ticket: { summary: string; description: string }): Promise<LlmSuggestion | null>;
}

/** When the LLM and the embedded model disagree, confidence is capped below any sane autonomy threshold. */
export const DISAGREEMENT_CAP = 0.85;

/**
 * Merges an LLM suggestion into the embedded decision. Rules (alert formats) and the security screen are
 * never overridden; the LLM may only make a ticket *more* cautious on security.
 */
export function mergeLlm(embedded: CategoryDecision, llm: LlmSuggestion | null, securityFlagged: boolean): { decision: CategoryDecision; llmSecurity: boolean } {
  if (!llm || embedded.classifier === 'rules' || securityFlagged) return { decision: embedded, llmSecurity: false };
  if (llm.category === 'security_incident') {
    return { decision: { ...embedded, category: 'security_incident', confidence: Math.max(llm.confidence, 0.5), classifier: 'llm' }, llmSecurity: true };
  }
  if (llm.category === embedded.category) {
    return { decision: { ...embedded, confidence: round(Math.max(embedded.confidence, Math.min(llm.confidence, 0.99))), classifier: 'llm' }, llmSecurity: false };
  }
  const cat: TicketCategory = llm.category;
  return { decision: { ...embedded, category: cat, confidence: round(Math.min(llm.confidence, DISAGREEMENT_CAP)), classifier: 'llm' }, llmSecurity: false };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
