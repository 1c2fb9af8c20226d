import { convert } from 'html-to-text';

export type BadInputKind = 'empty' | 'oversized' | 'binary' | 'html_only_empty' | 'unsupported_language';

export interface CleanText {
  summary: string;
  description: string;
  /** Set when the ticket cannot be triaged reliably; the desk escalates with this reason. */
  problem: BadInputKind | null;
  notes: string[];
}

/** Bodies above this are cut for classification (the full body stays in intake's raw record). */
export const MAX_BODY_CHARS = 20000;
/** Bodies above this are treated as bad input: no L1 request is 100 kB of text. */
export const OVERSIZED_CHARS = 100000;

const HTML = /<(html|body|div|p|table|br|span|font|td)\b[^>]*>/i;
const EN_WORDS = new Set(['the', 'and', 'to', 'my', 'i', 'is', 'a', 'can', 'you', 'please', 'not', 'it', 'on', 'for', 'in', 'of', 'me', 'have', 'with', 'this', 'we', 'be', 'need', 'thanks', 'hi', 'help', 'get', 'our', 'from', 'at', 'are', 'no', 'so', 'do', 'was', 'but', 'up', 'out', 'since', 'any', 'an', 'reset', 'password', 'locked', 'install', 'printer', 'email', 'add', 'working', 'laptop']);
const OTHER_WORDS = new Set(['el', 'la', 'los', 'las', 'que', 'de', 'por', 'favor', 'mi', 'puedo', 'contraseña', 'usted', 'le', 'les', 'des', 'est', 'je', 'ne', 'pas', 'mon', 'vous', 'merci', 'bonjour', 'der', 'die', 'das', 'und', 'ich', 'nicht', 'mein', 'bitte', 'ist', 'ein', 'eine', 'não', 'meu', 'obrigado', 'olá', 'het', 'een', 'niet', 'ik', 'y', 'una', 'con', 'para', 'hola', 'gracias', 'funciona', 'kann', 'mich', 'konto', 'svp', 'avec', 'pour']);

/** Normalises what intake passed on and says whether it is fit to triage. Never throws. */
export function checkInput(rawSummary: string, rawDescription: string): CleanText {
  const notes: string[] = [];
  const totalLength = rawSummary.length + rawDescription.length;
  let summary = stripControl(rawSummary).slice(0, 500).trim();
  let description = rawDescription.length > MAX_BODY_CHARS * 5 ? rawDescription.slice(0, MAX_BODY_CHARS * 5) : rawDescription;

  if (binaryShare(rawSummary + description.slice(0, 20000)) > 0.1) {
    return { summary: printable(summary), description: printable(description).slice(0, 2000), problem: 'binary', notes: ['body looks like binary data, not text'] };
  }
  if (HTML.test(description)) {
    description = convert(description, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { ignoreHref: true } }] });
    notes.push('HTML body converted to text');
  }
  description = stripControl(description).replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  const unquoted = stripQuotedHistory(description);
  if (unquoted !== description) {
    description = unquoted;
    notes.push('quoted reply history removed');
  }
  if (HTML.test(summary)) summary = convert(summary, { wordwrap: false }).trim();

  if (totalLength > OVERSIZED_CHARS) {
    return { summary, description: description.slice(0, MAX_BODY_CHARS), problem: 'oversized', notes: [...notes, `body is ${totalLength} characters (limit ${OVERSIZED_CHARS})`] };
  }
  description = description.slice(0, MAX_BODY_CHARS);
  const letters = (summary + description).replace(/[^\p{L}]/gu, '');
  if (letters.length < 3) {
    const problem = notes.length ? 'html_only_empty' : 'empty';
    return { summary, description, problem, notes: [...notes, problem === 'empty' ? 'ticket has no text' : 'HTML body has no readable text'] };
  }
  if (!looksEnglish(`${summary} ${description}`)) {
    return { summary, description, problem: 'unsupported_language', notes: [...notes, 'ticket is not in English; the embedded model reads English only'] };
  }
  return { summary, description, problem: null, notes };
}

/** Where quoted history starts in a reply: Outlook/Gmail separators and "On … wrote:". */
const QUOTE_START = /^(-{2,}\s*original message\s*-{2,}|_{8,}|on .{4,120} wrote:|from: .+\n(sent|date): )/im;

/**
 * A reply carries the whole thread; only the new text is the request. Lines quoted with ">" go too.
 * If nothing readable would remain, the text is kept as it was.
 */
export function stripQuotedHistory(text: string): string {
  const m = QUOTE_START.exec(text);
  let head = m ? text.slice(0, m.index) : text;
  head = head.split('\n').filter((l) => !/^\s*>/.test(l)).join('\n').trim();
  return head.replace(/[^\p{L}]/gu, '').length >= 3 ? head : text;
}

function stripControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, '');
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e\n]/g, '').slice(0, 2000);
}

/** Share of control / replacement / private-use characters: high for binary pasted as text. */
function binaryShare(s: string): number {
  if (s.length === 0) return 0;
  // eslint-disable-next-line no-control-regex
  const bad = s.match(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd\ue000-\uf8ff]/g)?.length ?? 0;
  return bad / s.length;
}

function looksEnglish(text: string): boolean {
  const sample = text.slice(0, 3000);
  const letters = sample.replace(/[^\p{L}]/gu, '');
  const latin = letters.replace(/[^A-Za-z\u00c0-\u024f]/g, '');
  if (letters.length > 20 && latin.length / letters.length < 0.6) return false;
  const words = sample.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  if (words.length < 4) return true;
  let en = 0;
  let other = 0;
  for (const w of words) {
    if (EN_WORDS.has(w)) en++;
    if (OTHER_WORDS.has(w)) other++;
  }
  return !(other >= 3 && other > en * 1.5);
}
