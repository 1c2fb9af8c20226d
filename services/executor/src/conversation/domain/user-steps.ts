import type { RunbookResolution } from '@desk/contracts';

/**
 * What the desk may tell the user from the client's runbook. Runbooks are written for technicians; the
 * user-facing part is found in two ways (docs/RUNBOOKS.md):
 *
 * 1. **Convention**: a section headed "For the user" (or "User steps", "Self-help", "What the user can
 *    do") is written for the user and is sent as it is, item by item.
 * 2. **Fallback extraction** from the technician's text: lines addressed to the user ("Ask the user to
 *    …", "suggest …", "… is the usual quick fix"), question-and-answer items (`"What is …?" - …`), and
 *    facts the user needs to follow them (an address, a network name, how to sign in) — never a line that
 *    names the technician's tools (RMM, scripts, inventory, firewall, escalation).
 */
export interface Guidance {
  source: 'section' | 'extracted';
  /** Plain-language steps, in order (already addressed to the user). */
  steps: string[];
  /** Facts that go with the steps (the right portal, network name, sign-in). */
  facts: string[];
  /** A runbook question-and-answer item that answers the ticket itself, if any. */
  answer: string | null;
}

/** One unit of runbook text the desk can reason about (a list item or a sentence). */
export interface RunbookUnit {
  text: string;
  /** The section it came from ("Steps", "Notes", "Applies to", "Networks", …). */
  section: string;
}

/** Names of the technician's side: a line that mentions one is never sent to the user. */
const TECHNICIAN_ONLY = new RegExp([
  String.raw`\bRMM\b`, 'NinjaOne', 'Datto', String.raw`\binventory\b`, String.raw`\bscripts?\b`,
  String.raw`\bfirewall\b`, String.raw`\bL[123]\b`, 'technician', String.raw`\bescalat\w*`, 'time entry', 'runbook', String.raw`\block(?:ed)?Out\b`,
  String.raw`\baccess points?\b`, String.raw`\bgateway status\b`, String.raw`\bchange record\b`, String.raw`\bidentity\b`, 'one-time code',
  String.raw`\bverify the user\b`, String.raw`\bcheck (?:the )?(?:inventory|version|status in)\b`, String.raw`\bservice desk picks\b`,
  String.raw`\b(?:the|this) ticket\b`, String.raw`\bnot allowed\b`, String.raw`\bnever (?:sent|emailed|given)\b`,
].join('|'), 'i');
/** Script names of the RMM library (Reinstall-CatalogSoftware, Restart-WindowsService): case matters. */
const SCRIPT_NAME = /\b[A-Z][a-z]+-[A-Z][a-z]+[A-Z][A-Za-z]*\b/;

/** Words the user-facing facts are about: where and how to connect or sign in. */
const FACT = /\b(?:portal|endpoint|address|ssid|network|wi-?fi|sign[- ]?in|log ?in|connect(?:s|ion)?|server|port)\b/i;
/** Names a user types or picks: host names, network names like RCF-Staff / TSP-Office. */
const NAME_TOKEN = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,}\b|\b[A-Z]{2,}[A-Za-z0-9]*-[A-Za-z0-9-]+\b/;

const ASK_USER = /\b(?:ask|tell|have)\s+(?:the\s+)?(?:user|requester|caller)s?\s+(?:to\s+)(.+)$/i;
const SUGGEST = /\bsuggest(?:s|ed)?\s+(.+?)(\s+(?:before anything else|first))?[.;]?$/i;
const QUICK_FIX = /\b(?:usual|quick|common)\s+(?:quick\s+)?fix\b|\bworkaround\b/i;
const FAQ = /^"([^"]{6,200}\?)"\s*[-–—:]\s*(.+)$/;

/** Splits prose into list items and sentences, remembering the section ("Heading: text" lines of notes). */
export function runbookUnits(prose: RunbookResolution['prose']): RunbookUnit[] {
  const out: RunbookUnit[] = [];
  const add = (section: string, block: string) => {
    let current = section;
    for (const raw of block.split('\n')) {
      let line = raw.trim();
      if (!line || /^\[.+\]$/.test(line)) continue; // "[Document title]" labels of several documents
      const heading = /^([A-Z][A-Za-z ]{2,40}):\s*(.*)$/.exec(line);
      if (heading && !FAQ.test(line)) { current = heading[1]!; line = heading[2]!.trim(); if (!line) continue; }
      line = line.replace(/^(?:[-*•]|\d+[.)])\s+/, '');
      if (FAQ.test(line)) { out.push({ text: line, section: current }); continue; }
      for (const s of line.split(/(?<!\b(?:Dr|Mr|Mrs|Ms|St|e\.g|i\.e))(?<=[.!])\s+(?=[A-Z"])/)) if (s.trim()) out.push({ text: s.trim(), section: current });
    }
  };
  add('Applies to', prose.prerequisites);
  add('Steps', prose.steps);
  add('Notes', prose.notes);
  return out;
}

/** "Connect and open a file." from "ask the user to connect and open a file"; "the user" → "you". */
export function toUserVoice(s: string): string {
  let t = s.trim()
    .replace(/\b[Pp]oint the (?:user|requester|caller) to ([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)/g, '$1 can help you with it')
    .replace(/\bthe service desk does not\b/gi, 'we do not')
    .replace(/\bthe service desk does\b/gi, 'we do')
    .replace(/\bthe (?:user|requester|caller)'s\b/gi, 'your')
    .replace(/\bthe (?:user|requester|caller)\b/gi, 'you')
    .replace(/\bthe service desk\b/gi, 'we')
    .replace(/\s+and confirm\.?$/i, '')
    .replace(/\s+/g, ' ');
  t = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

const STOP = new Set(('a an and are as at be but by can do does for from has have how i if in is it its me my no not of on or our so that the their them then there this to up we what when where which who why will with you your '
  + 'please hi hello thanks thank get got cannot cant dont won wont just').split(' '));

/** Content words, lightly stemmed (connect/connecting/connection → connect). */
export function words(s: string): Set<string> {
  const out = new Set<string>();
  for (const w of s.toLowerCase().replace(/wi-fi/g, 'wifi').split(/[^a-z0-9]+/)) {
    if (w.length < 3 || STOP.has(w)) continue;
    out.add(w.replace(/(?:ing|ion|ions|ed|es|s)$/, '') || w);
  }
  return out;
}

export function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
}

/** The question-and-answer item of the runbook that best answers `question`, or null when none does. */
export function faqAnswer(units: RunbookUnit[], question: string): string | null {
  const q = words(question);
  let best: { score: number; answer: string } | null = null;
  for (const u of units) {
    const m = FAQ.exec(u.text);
    if (!m) continue;
    const score = overlap(words(m[1]!), q);
    const need = Math.min(2, words(m[1]!).size);
    if (score >= need && (!best || score > best.score)) best = { score, answer: m[2]! };
  }
  return best ? toUserVoice(best.answer) : null;
}

function userFacing(u: RunbookUnit): boolean {
  return !TECHNICIAN_ONLY.test(u.text) && !SCRIPT_NAME.test(u.text);
}

/** Items of a "For the user" section, one per list item or paragraph. */
function sectionSteps(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !/^\[.+\]$/.test(l))
    .map((l) => l.replace(/^(?:[-*•]|\d+[.)])\s+/, '')).filter(Boolean);
}

/** The guidance for a ticket, or null when the runbook has nothing the user can do themselves. */
export function userGuidance(prose: RunbookResolution['prose'], ticketText: string): Guidance | null {
  const units = runbookUnits(prose);
  const answer = faqAnswer(units, ticketText);
  const facts = units.filter((u) => userFacing(u) && FACT.test(u.text) && NAME_TOKEN.test(u.text) && !FAQ.test(u.text) && !ASK_USER.test(u.text))
    .map((u) => toUserVoice(u.text));
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (prose.forUser && prose.forUser.trim()) {
    const steps = sectionSteps(prose.forUser);
    if (steps.length > 0) return { source: 'section', steps, facts: [], answer };
  }
  const steps: string[] = [];
  for (const u of units) {
    if (FAQ.test(u.text)) continue;
    const ask = ASK_USER.exec(u.text);
    if (ask && !TECHNICIAN_ONLY.test(ask[1]!) && !SCRIPT_NAME.test(ask[1]!)) { steps.push(toUserVoice(ask[1]!)); continue; }
    const suggest = SUGGEST.exec(u.text);
    if (suggest && userFacing(u)) {
      // "suggest … before anything else": the runbook orders it first.
      if (suggest[2]) steps.unshift(toUserVoice(`try ${suggest[1]!}`));
      else steps.push(toUserVoice(`try ${suggest[1]!}`));
      continue;
    }
    if (QUICK_FIX.test(u.text) && userFacing(u)) steps.push(toUserVoice(u.text));
  }
  const relevant = uniq(rankFacts(facts, ticketText));
  const distinct = uniq(steps);
  // Worth sending: an answer, or steps with substance (a lone "Print again." is not guidance).
  if (!answer && distinct.length < 2 && !(distinct.length === 1 && relevant.length > 0)) return null;
  return { source: 'extracted', steps: distinct, facts: relevant, answer };
}

/** Facts the ticket is about come first; at most three, so the message stays short. */
function rankFacts(facts: string[], ticketText: string): string[] {
  const t = words(ticketText);
  return facts.map((f, i) => ({ f, i, s: overlap(words(f), t) })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, 3).sort((a, b) => a.i - b.i).map((x) => x.f);
}
