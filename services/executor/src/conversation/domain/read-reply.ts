import { PRAISED_THANKS_WHY, ReplyReading, freshText, readReplyByRules } from './reply-intent';

/** Below this, an LLM reading is not acted on (the reply goes to a human). */
export const LLM_MIN_CONFIDENCE = 0.7;

/**
 * Merges the rules and an optional LLM reading under the same rails: a resolution needs both to agree
 * when both spoke (never closed on a model's word alone against the rules); any disagreement on
 * resolved-or-not is unclear; a confident rule reading of a failure always stands.
 */
export function mergeReadings(rules: ReplyReading, llm: ReplyReading | null): ReplyReading {
  if (!llm || llm.confidence < LLM_MIN_CONFIDENCE) return rules;
  if (llm.intent === rules.intent) return { ...rules, confidence: Math.max(rules.confidence, llm.confidence), question: rules.question ?? llm.question };
  // Only thanks: nothing a technician could act on, whatever the model reads into it. Without the model's
  // agreement a praised thanks does not close the ticket either: it keeps waiting.
  if (rules.intent === 'acknowledged') return rules;
  if (rules.intent === 'resolved' && rules.why === PRAISED_THANKS_WHY) {
    return { intent: 'acknowledged', confidence: 0.5, why: `only thanks; the model read "${llm.intent}": the ticket keeps waiting`, question: null };
  }
  if (llm.intent === 'resolved' || rules.intent === 'resolved') {
    return { intent: 'unclear', confidence: 0.3, why: `the rules read "${rules.intent}", the model "${llm.intent}": a human decides`, question: null };
  }
  if (rules.intent === 'still_broken' || rules.intent === 'new_detail') return rules;
  // The rules found nothing (unclear) or a question: the model may refine it, within the same intents.
  return { ...llm, why: `model: ${llm.why}` };
}

export async function readReply(body: string, guidance: string, llm: { read(reply: string, guidance: string): Promise<ReplyReading | null> } | null): Promise<{ reading: ReplyReading; by: 'rules' | 'rules+llm' }> {
  const rules = readReplyByRules(body);
  if (!llm) return { reading: rules, by: 'rules' };
  const model = await llm.read(freshText(body), guidance);
  return { reading: mergeReadings(rules, model), by: model ? 'rules+llm' : 'rules' };
}
