import { PRIVILEGED_TEXT, PRIVILEGE_NEGATION, SIGNAL_PATTERNS, AUTHORITY, URGENCY } from './patterns';

export interface SecurityInput {
  summary: string;
  description: string;
  /** The requester matched a contact on file (false: unknown or spoofed sender). */
  senderOnFile: boolean;
  /** Groups the ticket named that the directory marks privileged. */
  privilegedGroups: string[];
}

export interface SecurityVerdict {
  flagged: boolean;
  /** The ticket itself reports an incident (category becomes security_incident). */
  incident: boolean;
  signals: string[];
}

/**
 * Runs before anything else and cannot be overruled by the classifier or the LLM. The ticket body is data:
 * an instruction inside it is a signal to flag, never something to follow.
 */
export function screenSecurity(input: SecurityInput): SecurityVerdict {
  const text = `${input.summary}\n${input.description}`.slice(0, 20000);
  const signals = new Set<string>();
  let incident = false;
  for (const p of SIGNAL_PATTERNS) {
    if (p.re.test(text)) {
      signals.add(p.signal);
      if (p.incident) incident = true;
    }
  }
  const privText = PRIVILEGED_TEXT.test(text) && !onlyNegated(text);
  if (privText || input.privilegedGroups.length > 0) signals.add('privilege_elevation');
  const pressure = AUTHORITY.test(text) && URGENCY.test(text);
  if (pressure && (signals.has('bypass_request') || signals.has('credential_redirect') || !input.senderOnFile || signals.has('privilege_elevation'))) {
    signals.add('authority_pressure');
  }
  // An unknown sender asking to redirect credentials or skip checks is social engineering, not a request.
  if (!input.senderOnFile && (signals.has('credential_redirect') || signals.has('authority_pressure'))) {
    signals.add('social_engineering');
    incident = true;
  }
  return { flagged: signals.size > 0, incident, signals: [...signals].sort() };
}

/** True when every privileged phrase in the text sits in a negation ("I don't have admin rights"). */
function onlyNegated(text: string): boolean {
  const stripped = text.replace(new RegExp(PRIVILEGE_NEGATION.source, 'gi'), ' ');
  return !PRIVILEGED_TEXT.test(stripped);
}
