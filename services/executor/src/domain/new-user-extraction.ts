import { z } from 'zod';
import { NewUserRequest, parseDate } from './onboarding-request';

/**
 * A language model's reading of a new-user request is a suggestion: it only fills fields the rules
 * left empty, and only with values the ticket really contains (a name, title or group that is not in
 * the text is dropped, a date must be in the text too). The rules' reading always wins.
 */
export const ExtractedNewUser = z.object({
  fullName: z.string().max(120).nullable(),
  preferredName: z.string().max(60).nullable(),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  jobTitle: z.string().max(120).nullable(),
  department: z.string().max(120).nullable(),
  manager: z.string().max(160).nullable(),
  office: z.string().max(120).nullable(),
  sameAccessAs: z.string().max(160).nullable(),
  except: z.string().max(200).nullable(),
  licences: z.array(z.string().max(80)).max(10),
  groups: z.array(z.string().max(120)).max(20),
}).strict();
export type ExtractedNewUser = z.infer<typeof ExtractedNewUser>;

/** Port: reads a new-user request with a language model (null when unavailable or invalid). */
export interface NewUserExtractor {
  extract(text: string): Promise<ExtractedNewUser | null>;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9@.]+/g, ' ').replace(/\.(?=\s|$)/g, '').trim();

function inText(value: string, text: string): boolean {
  const v = norm(value);
  return v.length > 0 && ` ${norm(text)} `.includes(` ${v} `);
}

/** The date is in the text: some date phrase of the text reads as exactly this day. */
function dateInText(iso: string, text: string, now: Date): boolean {
  const phrases = text.match(/\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?(?: of)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:,?\s+\d{4})?)/gi) ?? [];
  return phrases.some((p) => parseDate(p, now) === iso);
}

export function mergeExtraction(rules: NewUserRequest, llm: ExtractedNewUser | null, text: string, now: Date): NewUserRequest {
  if (!llm) return rules;
  const out: NewUserRequest = { ...rules, licences: [...rules.licences], groups: [...rules.groups] };
  const textFields = ['fullName', 'preferredName', 'jobTitle', 'department', 'office', 'sameAccessAs', 'except'] as const;
  for (const k of textFields) {
    const v = llm[k];
    if (out[k] === null && v && inText(v, text)) out[k] = v.trim();
  }
  if (out.manager === null && llm.manager) {
    if (/^(?:me|myself)$/i.test(llm.manager.trim()) && /\b(?:to me|manager:\s*me|reporting to me|reports to me)\b/i.test(text)) out.manager = 'me';
    else if (inText(llm.manager, text)) out.manager = llm.manager.trim();
  }
  if (out.startDate === null && llm.startDate && dateInText(llm.startDate, text, now)) out.startDate = llm.startDate;
  for (const l of llm.licences) if (inText(l, text) && !out.licences.some((x) => norm(x) === norm(l))) out.licences.push(l.trim());
  for (const g of llm.groups) if (inText(g, text) && !out.groups.some((x) => norm(x) === norm(g))) out.groups.push(g.trim());
  return out;
}
