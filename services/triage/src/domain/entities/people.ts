import { ClientDirectory, DirContact } from './directory';
import { cachedRegex, containsName, escapeRegex, nameRegex } from './text-match';

export interface PersonMention {
  contact: DirContact;
  mention: string;
  /** Where in the text it first appears (earlier = more likely the subject). */
  at: number;
  strength: 'email' | 'full' | 'title' | 'first';
}

export interface AffectedUser {
  upn: string | null;
  contact: DirContact | null;
  reason: string;
  /** A name was given but matches several people (or none): the desk must not guess. */
  unresolvedMention: string | null;
  ambiguous: boolean;
}

/** Finds the client's people named in the text (email, "First Last", "Dr. Last", or a lone first name). */
export function findPeople(text: string, dir: ClientDirectory): PersonMention[] {
  const out: PersonMention[] = [];
  const lower = text.toLowerCase();
  for (const c of dir.contacts) {
    for (const addr of [c.email, c.upn]) {
      if (!addr) continue;
      const i = lower.indexOf(addr.toLowerCase());
      if (i >= 0) { out.push({ contact: c, mention: addr, at: i, strength: 'email' }); break; }
    }
    const full = `${c.firstName} ${c.lastName}`;
    const fi = indexOfName(text, full);
    if (fi >= 0) { out.push({ contact: c, mention: full, at: fi, strength: 'full' }); continue; }
    const tm = text.includes(c.lastName) ? cachedRegex(`\\b(Dr|Mr|Mrs|Ms|Miss)\\.? ${escapeRegex(c.lastName)}\\b`).exec(text) : null;
    if (tm) { out.push({ contact: c, mention: tm[0], at: tm.index, strength: 'title' }); continue; }
    const si = indexOfName(text, c.firstName);
    if (si >= 0 && c.firstName.length >= 3) out.push({ contact: c, mention: c.firstName, at: si, strength: 'first' });
  }
  return out.sort((a, b) => a.at - b.at);
}

function indexOfName(text: string, name: string): number {
  if (!containsName(text, name)) return -1;
  const m = nameRegex(name).exec(text);
  return m ? m.index + m[1]!.length : -1;
}

/** Verbs and phrases that make the person after (or before) them the subject of the request. */
const SUBJECT_BEFORE = /(for|reset|unlock|add|added|remove|disable|deactivate|offboard|terminate|re-?enroll|enroll|give|grant|set up|setup|create|onboard)\s+(?:dr\.?\s+)?$/i;

/**
 * The affected user: the person the request is about. The requester when nobody else is named; the one
 * other person when exactly one is named; unresolved when a name fits several people or several are named.
 */
export function resolveAffected(text: string, dir: ClientDirectory, requester: DirContact | null, mentions: PersonMention[], opts: { personless: boolean; summaryLength: number }): AffectedUser {
  const summaryLength = opts.summaryLength;
  const requesterUpn = requester?.upn ?? null;
  // A lone first name that is also the requester's is the requester's signature, not someone else.
  const signatureAt = requester ? signatureStart(text, requester) : text.length;
  const others = mentions.filter((m) => m.contact.id !== requester?.id
    && !(m.strength === 'first' && requester && m.contact.firstName === requester.firstName)
    && m.at < signatureAt
    && !NOT_SUBJECT_AFTER.test(text.slice(m.at + m.mention.length, m.at + m.mention.length + 24))
    && !NOT_SUBJECT_BEFORE.test(text.slice(Math.max(0, m.at - 20), m.at)));
  // Contacts mentioned with a stronger form win over first-name-only hits of other contacts sharing that name.
  const strongNames = new Set(others.filter((m) => m.strength !== 'first').map((m) => m.contact.firstName));
  const candidates = others.filter((m) => m.strength !== 'first' || !strongNames.has(m.contact.firstName));
  if (opts.personless) return { upn: null, contact: null, reason: 'no person is the subject (new hire, device or alert)', unresolvedMention: null, ambiguous: false };

  const byPerson = new Map<string, PersonMention>();
  for (const m of candidates) if (!byPerson.has(m.contact.id)) byPerson.set(m.contact.id, m);
  const firstNameGroups = groupBy([...byPerson.values()].filter((m) => m.strength === 'first'), (m) => m.contact.firstName);
  const ambiguousFirst = [...firstNameGroups.entries()].filter(([, ms]) => ms.length > 1);
  const distinct = [...byPerson.values()].filter((m) => !(m.strength === 'first' && (firstNameGroups.get(m.contact.firstName)?.length ?? 0) > 1));

  if (distinct.length === 0 && ambiguousFirst.length > 0) {
    const [name, ms] = ambiguousFirst[0]!;
    return { upn: null, contact: null, reason: `"${name}" matches ${ms.length} people at the client`, unresolvedMention: name, ambiguous: true };
  }
  if (distinct.length === 0) {
    return { upn: requesterUpn, contact: requester, reason: requester ? 'the requester (nobody else named)' : 'requester not on file', unresolvedMention: null, ambiguous: false };
  }
  if (distinct.length === 1 && ambiguousFirst.length === 0) {
    const m = distinct[0]!;
    return { upn: m.contact.upn, contact: m.contact, reason: `named in the ticket ("${m.mention}")`, unresolvedMention: null, ambiguous: false };
  }
  const inSummary = distinct.filter((m) => m.at < summaryLength);
  if (inSummary.length === 1 && ambiguousFirst.length === 0) {
    const m = inSummary[0]!;
    return { upn: m.contact.upn, contact: m.contact, reason: `named in the summary ("${m.mention}")`, unresolvedMention: null, ambiguous: false };
  }
  const subjects = distinct.filter((m) => SUBJECT_BEFORE.test(text.slice(Math.max(0, m.at - 24), m.at)) || new RegExp(`^${escapeRegex(m.mention)}('s|’s)`).test(text.slice(m.at)));
  if (subjects.length === 1) {
    const m = subjects[0]!;
    return { upn: m.contact.upn, contact: m.contact, reason: `the subject of the request ("${m.mention}")`, unresolvedMention: null, ambiguous: false };
  }
  const firstFull = distinct.find((m) => m.strength !== 'first');
  if (firstFull && ambiguousFirst.length === 0 && distinct.filter((m) => m.strength !== 'first').length === 1) {
    return { upn: firstFull.contact.upn, contact: firstFull.contact, reason: `the only person named in full ("${firstFull.mention}")`, unresolvedMention: null, ambiguous: false };
  }
  return { upn: null, contact: null, reason: `several people named (${distinct.map((m) => m.mention).join(', ')})`, unresolvedMention: distinct.map((m) => m.mention).join(', '), ambiguous: true };
}

/** A name followed by these is a third party (approver, absentee, sender of a suspicious mail), not the subject. */
const NOT_SUBJECT_AFTER = /^('s)?\s*(?:from [A-Z][\w&-]*\s+)?(said|says|is ok|is okay|is fine|approved|agreed|is out|is away|is off|is on (leave|vacation|holiday)|asked|told|suggested|just emailed|emailed|texted|wants me|is in (that|the|a|meetings)|was fine|sent (me|us|an?)|cc\b)/i;
const NOT_SUBJECT_BEFORE = /(approved by|per|cc:?|manager|according to|like|same as|from|by|asked by|on behalf of)\s+$/i;

/** Where the requester's signature starts (their name near the end of the text); names after it are titles/teams. */
function signatureStart(text: string, requester: DirContact): number {
  const tail = Math.floor(text.length * 0.6);
  for (const name of [`${requester.firstName} ${requester.lastName}`, requester.firstName]) {
    const i = text.lastIndexOf(name);
    if (i >= tail) return i;
  }
  return text.length;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
