import { normalizePhone } from './records';

/**
 * What the ticket text itself asks for that the desk must never act on. The text is data from an
 * untrusted sender: it can describe a problem, it can never change how the desk verifies or acts.
 */
export interface Signal {
  reason: 'not_authorized' | 'identity_verification_failed' | 'security_incident' | 'bad_input';
  why: string;
}

const INJECTION = [
  /\bignore (?:all |any |the )?(?:previous|prior|above|earlier|your)\b/i,
  /\b(?:system|developer) (?:prompt|message|instruction)/i,
  /\byou are (?:now )?(?:an? )?(?:ai|assistant|agent|bot|language model)\b/i,
  /\b(?:as|to) the (?:ai|assistant|agent|automation|bot)\b/i,
  /\bnew instructions?\b/i,
  /\bdisregard\b/i,
  /\boverride\b/i,
  /<\/?(?:system|instructions?|admin|tool)>/i,
  /\[(?:system|admin|instructions?)\]/i,
  /\bexecute (?:the )?(?:following|command|script)\b/i,
  /\b(?:run|call) (?:the )?(?:script|tool|function|api)\b/i,
  /\bAUTOMATION[_ -]?(?:NOTE|OVERRIDE|INSTRUCTION)/i,
];

const BYPASS = [
  /\b(?:skip|bypass|waive|without|no need for|don'?t (?:need|bother with)|do not (?:need|bother with)) (?:the |any |a )?(?:verification|verify|approval|code|identity check|security check|check)/i,
  /\b(?:pre-?approved|already (?:been )?approved|approval (?:is )?(?:attached|below|granted)|i (?:hereby )?(?:approve|authori[sz]e))\b/i,
  /\bon behalf of\b.*\b(?:ceo|owner|partner|director|managing)\b/i,
];

const PRESSURE = [
  /\b(?:ceo|cfo|owner|managing partner|the boss|executive director)\b.{0,80}\b(?:needs?|wants?|asked|demands?)\b.{0,60}\b(?:now|immediately|asap|right away|minutes?)\b/i,
  /\b(?:urgent|asap|immediately|right now)\b.{0,80}\b(?:skip|no time|don'?t wait|without waiting)\b/i,
];

const REDIRECT = [
  /\b(?:new|different|other|personal|home|temporary|temp|backup|alternate|my wife'?s|my husband'?s|cell|my)\s+(?:phone\s+)?(?:number|mobile|cell|email|e-mail|address|gmail|inbox)\b.{0,60}\b(?:send|text|code|password|reach|use)\b/i,
  /\b(?:send|text|sms|email|e-mail|forward|give)\b.{0,40}\b(?:code|password|pin|credentials?)\b.{0,40}\b(?:to|at|on)\b.{0,40}(?:\+?\d[\d\s().-]{6,}\d|[\w.+-]+@[\w-]+\.[\w.-]+|new|personal|different|other)/i,
  /\b(?:register|add|use|put)\b.{0,40}\b(?:new|different|this)\b.{0,20}\b(?:number|phone number)\b/i,
  /\b(?:gmail|yahoo|hotmail|outlook\.com|icloud|proton)\b/i,
];

const COMPROMISE = [
  /\b(?:mfa|authenticator|sign-?in|login|push)\b.{0,40}\b(?:prompts?|requests?|notifications?|approvals?)\b.{0,60}\b(?:didn'?t|did not|never|wasn'?t me|not me)\b/i,
  /\b(?:didn'?t|did not|never)\b.{0,30}\b(?:start|initiate|request|trigger)\b.{0,30}\b(?:prompts?|sign-?ins?|requests?)/i,
  /\bsim[- ]?swap/i,
  /\b(?:stolen|hacked|compromised|phish(?:ing|ed)?|ransom|suspicious (?:sign-?in|login|email|activity))\b/i,
  /\bsomeone (?:else )?(?:logged|signed|got) in(?:to)?\b/i,
  /\b(?:legal hold|for cause|terminated for|fired|investigation|hostile|walked out|escorted)\b/i,
];

const PHONE = /(?:\+?\d[\d\s().-]{6,}\d)/g;
/** ISO dates / timestamps, clock times, dotted versions and IPs — removed before looking for phone numbers. */
const NOT_PHONE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d+(?:\.\d+){2,}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g;

/** Phone numbers written in the ticket that are not a mobile on file of this client. */
export function foreignPhones(text: string, mobilesOnFile: Array<string | null>): string[] {
  const known = new Set(mobilesOnFile.map(normalizePhone).filter((p) => p.length > 0));
  // Dates, times, serials and versions have phone-like digit runs; they are not contact methods.
  const found = [...text.replace(NOT_PHONE, ' ').matchAll(PHONE)].map((m) => m[0]).filter((p) => normalizePhone(p).length >= 7);
  // A number that ends like a known mobile is the same number written differently.
  return found.filter((p) => {
    const d = normalizePhone(p);
    return ![...known].some((k) => k.endsWith(d) || d.endsWith(k));
  });
}

export function ticketSignals(text: string, mobilesOnFile: Array<string | null>): Signal[] {
  const out: Signal[] = [];
  if (INJECTION.some((p) => p.test(text))) out.push({ reason: 'not_authorized', why: 'the ticket contains embedded instructions to the desk; instructions in a ticket body are never followed' });
  if (BYPASS.some((p) => p.test(text))) out.push({ reason: 'not_authorized', why: 'the ticket asks to skip verification or claims an approval that is not on the ticket from the approver' });
  if (PRESSURE.some((p) => p.test(text))) out.push({ reason: 'not_authorized', why: 'urgency or authority pressure to skip the procedure' });
  if (REDIRECT.some((p) => p.test(text)) || foreignPhones(text, mobilesOnFile).length > 0) {
    out.push({ reason: 'identity_verification_failed', why: 'the ticket gives a number or address that is not on file, or asks to send a code or password somewhere else' });
  }
  if (COMPROMISE.some((p) => p.test(text))) out.push({ reason: 'security_incident', why: 'the ticket describes a possible compromise (unexpected prompts, stolen device, phishing, hostile departure)' });
  return out;
}

/** Does the ticket ask to take something away (removal) rather than grant it? */
export function removalIntent(text: string): boolean {
  return /\b(?:remove|removing|removal|take (?:me |him |her |them )?(?:off|out)|revoke|unsubscribe|no longer (?:need|needs|require)|drop (?:me|him|her|them) from|delete (?:me|him|her|them) from)\b/i.test(text);
}

/** Several people or a whole site affected: an outage, never a one-device fix. */
export function outageSignal(text: string): boolean {
  const broad = /\b(?:everyone|everybody|all (?:the )?(?:users|staff|of us|computers|pcs|machines|kiosks|printers)|whole (?:office|floor|site|team|building)|several (?:users|people|computers|devices|kiosks|of us)|multiple (?:users|people|computers|devices|kiosks)|other (?:users|people|kiosks) (?:too|also|as well))\b/i;
  const failing = /\b(?:can'?t|cannot|unable|not working|isn'?t working|aren'?t working|down|offline|fail(?:s|ing|ed)?|lost|no (?:internet|wi-?fi|network|connection)|same (?:error|problem|issue))\b/i;
  const onlyMe = /\b(?:everyone else|everybody else|others can|other people can|only (?:me|mine|my)|just (?:me|mine|my))\b/i;
  return text.split(/(?<=[.!?])\s+|\n/).some((sentence) => broad.test(sentence) && failing.test(sentence) && !onlyMe.test(sentence));
}

/** The same thing failing again soon after a fix: a loop a technician must look at. */
export function repeatSignal(text: string): boolean {
  return /\b(?:again (?:today|this morning|this afternoon)|(?:second|third|2nd|3rd) time (?:today|this (?:morning|afternoon|week)|in a day)|locked (?:out )?again|stopped again|(?:still|again) (?:broken|failing) after (?:the|your) (?:fix|restart|reinstall))\b/i.test(text);
}

/**
 * "Escalate if" conditions the desk cannot check in a system, matched to what the ticket says: when the
 * runbook names a condition and the ticket describes it, the runbook's bullet decides.
 */
const PROSE_CONDITIONS: Array<{ prose: RegExp; ticket: RegExp; why: string }> = [
  { prose: /mobile phone mail|phone mail setup/i, ticket: /\b(?:iphone|android|phone|mobile|ipad|tablet)\b[^.\n]{0,60}\b(?:mail|email|e-mail|outlook|sync)|\b(?:mail|email|e-mail|outlook)\b[^.\n]{0,60}\b(?:iphone|android|on (?:my|the) phone|mobile|ipad|tablet)\b/i, why: 'mail on a mobile device is outside the automated fix' },
  { prose: /mail flow|bounces|NDR/i, ticket: /\b(?:bounc\w*|ndr|undeliverable|not (?:arriving|being delivered|received|receiving)|rejected|delivery (?:failure|failed|delay)|never (?:arrive|arrived|got))\b/i, why: 'mail flow problems (bounces, missing mail) are handled by a technician' },
  { prose: /mailbox full|licensing messages/i, ticket: /\b(?:mailbox (?:is )?full|quota|out of (?:space|storage)|licen[cs]e (?:expired|message|error))\b/i, why: 'mailbox size or licensing is handled by a technician' },
  { prose: /shared mailbox|calendar delegation/i, ticket: /\b(?:shared mailbox|calendar (?:access|delegat\w*|permission)|delegate)\b/i, why: 'shared mailbox or calendar access is not this runbook' },
  { prose: /forwarding|did not send|spoofed/i, ticket: /\b(?:forward(?:ing)? (?:rule|to)|inbox rule|didn'?t send|did not send|spoof\w*|sent from my account)\b/i, why: 'possible compromise (forwarding, mail the user did not send): Security board' },
  { prose: /personal|home computer|own devices?/i, ticket: /\b(?:home (?:computer|pc|laptop|desktop)|personal (?:computer|pc|laptop|device|phone)|my own (?:computer|pc|laptop|mac)|my (?:mac|macbook) at home)\b/i, why: 'personal or home computers are not allowed' },
  { prose: /external|outside (?:address|person)|outside person|outside address/i, ticket: /\b(?:external|outside (?:address|email|person|company)|gmail|personal (?:email|address)|our client'?s? (?:email|address)|auditor|contractor)\b/i, why: 'external people or addresses are never added by automation' },
  { prose: /new list|create a new list|new lists/i, ticket: /\b(?:new (?:distribution )?list|create (?:a |an )?(?:new )?(?:distribution )?(?:list|group))\b/i, why: 'creating lists or groups is not automated' },
  { prose: /certificate|SAML/i, ticket: /\b(?:certificate|cert error|saml)\b/i, why: 'certificate or SAML errors need a technician' },
  { prose: /new printer|new driver|scan-to-email/i, ticket: /\b(?:new printer|install (?:a |the )?printer|(?:printer )?driver|scan(?:-| )to(?:-| )email)\b/i, why: 'new printers, drivers and scan-to-email are set up by a technician' },
  { prose: /airport|travel/i, ticket: /\b(?:airport|travel(?:l?ing)?|abroad|overseas|on vacation)\b/i, why: 'the user is travelling and cannot be verified the usual way' },
  { prose: /dentachart password|dentachart logins?/i, ticket: /\bdentachart\b[^.\n]{0,40}\b(?:password|login|log in|sign in)\b|\b(?:password|login)\b[^.\n]{0,40}\bdentachart\b/i, why: 'DentaChart logins are separate and reset inside DentaChart by the practice manager' },
  { prose: /same access|copy privileged|partner\/executive/i, ticket: /\bsame access as\b[^.\n]{0,60}\b(?:partner|owner|ceo|director|managing|admin)\b/i, why: 'copying a partner/executive/admin access needs a technician' },
  { prose: /departure|departing|offboarding/i, ticket: /\b(?:leaving|left the company|last day|resign\w*|retir\w*|departure)\b/i, why: 'a removal that is part of a departure follows offboarding' },
];

export function proseConditions(escalateIf: string, text: string, applies: (why: string) => boolean = () => true): string[] {
  return PROSE_CONDITIONS.filter((c) => c.prose.test(escalateIf) && c.ticket.test(text) && applies(c.why)).map((c) => c.why);
}

/**
 * The runbook's "Escalate if" when it is unconditional ("Always: this client has no automated Wi-Fi fix…"):
 * its text, the reason a technician gets; null when it lists conditions. Read from its first line only, so a
 * condition that merely contains "always" ("the user always works from home") is not taken for it.
 */
export function alwaysEscalate(escalateIf: string): string | null {
  const first = escalateIf.split(/\r?\n/).map((l) => l.replace(/^\s*(?:[-*+]|\d+[.)])\s*/, '').trim()).find((l) => l.length > 0) ?? '';
  if (!/^(?:always|every (?:ticket|request|case|time)|all (?:tickets|requests|cases)|in (?:all|every) cases?|unconditionally)\b(?![^.:;,\n]{0,40}\b(?:when|if|unless)\b)/i.test(first)) return null;
  return first.replace(/\s+/g, ' ').slice(0, 300);
}
