import { z } from 'zod';

/**
 * What the user's answer to guidance means. Rules first (they are exact and explainable); anything the
 * rules cannot settle is `unclear`, which goes to a human — the desk never guesses a resolution.
 * `acknowledged` is a bare "thanks" / "ok" that does not say whether it worked: nothing for a human to do,
 * the ticket keeps waiting (the reminders ask again, then the close).
 */
export const REPLY_INTENTS = ['resolved', 'still_broken', 'new_detail', 'question', 'acknowledged', 'unclear'] as const;
export const ReplyIntent = z.enum(REPLY_INTENTS);
export type ReplyIntent = z.infer<typeof ReplyIntent>;

export const ReplyReading = z.object({
  intent: ReplyIntent,
  confidence: z.number().min(0).max(1),
  why: z.string().max(300),
  /** The user's question, reworded as a question (only for `question`). */
  question: z.string().max(500).nullable().default(null),
});
export type ReplyReading = z.infer<typeof ReplyReading>;

/** The text the user added: quoted history and signatures below it are the desk's own words. */
export function freshText(body: string): string {
  const lines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*>/.test(line) || /^\s*On .+wrote:\s*$/i.test(line) || /^-{2,}\s*Original Message/i.test(line) || /^\s*From:\s.+/i.test(line) || /^--\s*$/.test(line)) break;
    lines.push(line);
  }
  return lines.join('\n').trim();
}

const NEGATED_SUCCESS = /\b(?:did(?:n'?t| not)|does(?:n'?t| not)|has(?:n'?t| not)|have(?:n'?t| not)|is(?:n'?t| not)|was(?:n'?t| not)|not|no longer|never)\s+(?:\w+\s+){0,2}(?:work(?:ed|ing|s)?|help(?:ed|s)?|fix(?:ed)?|solve[ds]?|connect(?:ed|ing|s)?|resolved?)\b/gi;
const SUCCESS = /\b(?:(?:that|it|this)(?:'s| is| has)? (?:worked|works|fixed it|did it|did the trick|sorted it)|works now|working (?:again|now|fine)|(?:all )?(?:fixed|solved|resolved|sorted)(?: now)?|i'?m (?:in|connected|back (?:in|online))|connected (?:now|fine|again)|(?:all|problem) (?:good|gone)|back (?:up|online|to normal|working)|found (?:it|the \w+)|got (?:it|in|the \w+)|you can close|please close|no (?:longer|more) (?:an )?(?:issue|problem|needed))\b/i;
const BROKEN = /\b(?:still (?:\w+ ){0,2}(?:not|no|can'?t|cannot|unable|broken|failing|fails|down|getting|get|the same|disconnect\w*|drops?)|no luck|same (?:error|problem|issue|thing|message)|(?:does|did|is|was|has)(?:n'?t| not) (?:\w+ ){0,2}(?:work|help|connect)\w*|not working|can'?t (?:connect|get|join|sign|log|access|print|open|see|find)|cannot (?:connect|get|join|sign|log|access|print|open|see|find)|unable to|(?:keeps?|kept) (?:failing|dropping|disconnecting|asking)|fail(?:s|ed|ing)|broken|error|nothing (?:changed|happened))\b/i;
const DETAIL = /"[^"]{4,}"|\berror(?: code| message)?\s*[:#]?\s*-?\d+|\b(?:it says|it shows|message says|pop-?up|screenshot)\b/i;
const QUESTION_START = /^(?:how|what|where|which|who|when|why|can|could|do|does|is|are|should|will|would)\b/i;
const GRATITUDE = String.raw`(?:many )?(?:thanks?|thank you|thx|ty|cheers)(?: (?:so|very) much| a lot| again| for (?:your|the) help| for (?:that|this|everything))?|much appreciated|(?:i )?appreciate (?:it|that|the help)`;
const PRAISE = String.raw`great|perfect|awesome|brilliant|excellent|wonderful|amazing|fantastic|lovely|super|you(?:'re| are) (?:the best|a star|amazing)`;
const SEP = String.raw`[\s,.!:;)(-]*`;
/** Only thanks, with a word of praise ("great, thank you!", "thank you so much, perfect"). */
const PRAISED_THANKS = new RegExp(`^(?:(?:${PRAISE})${SEP})+(?:${GRATITUDE})${SEP}$|^(?:${GRATITUDE})${SEP}(?:(?:${PRAISE})${SEP})+$`, 'i');
/** Only thanks or an acknowledgement, which does not say whether it worked. */
const ACK_ONLY = new RegExp(`^(?:(?:ok(?:ay)?|noted|got it|will do|sure|understood|(?:i'?ll |i will |will )(?:try|give it a go)(?: (?:it|that|this))?(?: (?:later|tomorrow|now))?|${GRATITUDE})${SEP})+$`, 'i');
/** A reply signed with a first name on its own last line ("...thanks!\nOlga"): the name is not part of the answer. */
const unsigned = (text: string) => text.replace(/\n\s*-*\s*[A-Z][a-z'-]{1,20}\.?\s*$/, '').trim();

/** Why a praised thanks resolves (read by mergeReadings: a model never turns it into an escalation). */
export const PRAISED_THANKS_WHY = 'the user only thanks the desk, with a word of praise, and reports no problem';

/** Reads a reply with the rules. `unclear` when they find nothing, or find both success and failure. */
export function readReplyByRules(body: string): ReplyReading {
  const text = freshText(body);
  if (!text) return { intent: 'unclear', confidence: 0, why: 'the reply adds no text of its own', question: null };
  // "didn't work" must not count as "worked": negated successes are failures.
  const negated = NEGATED_SUCCESS.test(text);
  NEGATED_SUCCESS.lastIndex = 0;
  const cleaned = text.replace(NEGATED_SUCCESS, ' ');
  const success = SUCCESS.test(cleaned);
  const broken = negated || BROKEN.test(text);
  if (success && broken) return { intent: 'unclear', confidence: 0.3, why: 'the reply says both that it works and that it does not', question: null };
  if (success) return { intent: 'resolved', confidence: 0.9, why: 'the user says the steps worked', question: null };
  const questions = text.split(/(?<=[?.!])\s+|\n/).map((s) => s.trim()).filter((s) => s.endsWith('?') || (QUESTION_START.test(s) && s.length > 12 && !broken));
  if (broken) {
    return DETAIL.test(text)
      ? { intent: 'new_detail', confidence: 0.85, why: 'the user reports the problem continues, with a new detail', question: null }
      : { intent: 'still_broken', confidence: 0.85, why: 'the user says the problem continues', question: null };
  }
  if (questions.length > 0) return { intent: 'question', confidence: 0.75, why: 'the user asks a question', question: questions.join(' ') };
  if (DETAIL.test(text)) return { intent: 'new_detail', confidence: 0.7, why: 'the user adds a detail the guidance did not cover', question: null };
  // Only short replies: a longer one that merely ends in thanks says something else too.
  const bare = text.length <= 120 ? unsigned(text) : '';
  if (PRAISED_THANKS.test(bare)) return { intent: 'resolved', confidence: 0.8, why: PRAISED_THANKS_WHY, question: null };
  if (/\w/.test(bare) && ACK_ONLY.test(bare)) return { intent: 'acknowledged', confidence: 0.7, why: 'thanks or an acknowledgement that does not say whether it worked', question: null };
  return { intent: 'unclear', confidence: 0.2, why: 'the rules find neither a confirmation, a failure nor a question', question: null };
}
