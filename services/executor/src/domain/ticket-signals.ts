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

/** Phone numbers written in the ticket that are not a mobile on file of this client. */
export function foreignPhones(text: string, mobilesOnFile: Array<string | null>): string[] {
  const known = new Set(mobilesOnFile.map(normalizePhone).filter((p) => p.length > 0));
  const found = [...text.matchAll(PHONE)].map((m) => m[0]).filter((p) => normalizePhone(p).length >= 7);
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
  return /\b(?:everyone|everybody|all (?:users|staff|of us|computers|pcs|machines|kiosks|the kiosks)|whole (?:office|floor|site|team|building)|nobody can|no one can|several (?:users|people|computers|devices|kiosks)|multiple (?:users|people|computers|devices|kiosks))\b/i.test(text);
}

/** The same thing failing again: a loop a technician must look at. */
export function repeatSignal(text: string): boolean {
  return /\b(?:again (?:today|this morning|this afternoon)|(?:second|third|2nd|3rd) time (?:today|this (?:morning|afternoon|week))|keeps? (?:stopping|locking|crashing|failing|happening)|locked (?:out )?again|stopped again|every (?:hour|day|morning))\b/i.test(text);
}
