/** The sections the runbook convention names; every other heading is a free section. */
export type SectionKey = 'appliesTo' | 'prerequisites' | 'steps' | 'verification' | 'escalateIf' | 'notes' | 'forUser';

export interface Sections {
  appliesTo: string;
  prerequisites: string;
  steps: string;
  verification: string;
  escalateIf: string;
  notes: string;
  /** Written for the end user: steps the desk may send as guidance (docs/RUNBOOKS.md). */
  forUser: string;
  /** Free sections (reference documents, "Why", "Networks"...), heading → text, in document order. */
  other: Array<{ heading: string; text: string }>;
  /** Every heading line, for the heading weight in search. */
  headings: string[];
}

const KEYS: Array<[RegExp, SectionKey]> = [
  [/^applies\s+to\b/i, 'appliesTo'],
  [/^prerequisites?\b/i, 'prerequisites'],
  [/^(steps|procedure)\b/i, 'steps'],
  [/^verification\b|^verify\b/i, 'verification'],
  [/^escalate\s+(if|when)\b|^escalation\b/i, 'escalateIf'],
  [/^notes?\b/i, 'notes'],
  // The user-facing convention: what the desk may send the user as guidance, in the user's words.
  [/^(?:for the (?:user|end user|requester)|user[- ](?:steps|guidance|instructions)|self[- ]help|what the user can (?:do|try)|instructions for the user)\b/i, 'forUser'],
];

function keyOf(heading: string): SectionKey | null {
  for (const [re, key] of KEYS) if (re.test(heading)) return key;
  return null;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Splits clean text on `#` headings (the shape every source is converted to). */
export function extractSections(text: string): Sections {
  const out: Sections = { appliesTo: '', prerequisites: '', steps: '', verification: '', escalateIf: '', notes: '', forUser: '', other: [], headings: [] };
  let current: { heading: string; lines: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    const body = current.lines.join('\n').trim();
    const key = keyOf(current.heading);
    if (key) out[key] = out[key] ? `${out[key]}\n\n${body}` : body;
    else if (body) out.other.push({ heading: current.heading, text: body });
  };
  for (const line of text.split('\n')) {
    const m = HEADING.exec(line);
    if (m) {
      flush();
      current = { heading: m[2]!, lines: [] };
      out.headings.push(m[2]!);
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return out;
}
