import { TicketCategory } from '@desk/contracts';

/** A high-precision rule hit: a known alert format or an unmistakable phrase. */
export interface RuleHit {
  category: TicketCategory;
  confidence: number;
  rule: string;
}

const ALERT_PREFIX = /^\s*\[(ninjaone|datto rmm|datto|entra id protection|microsoft defender|defender|sentinelone|huntress|azure ad identity protection)\]/i;

/** Alert conditions → category. Order matters: the first match wins (security before hardware, etc.). */
const ALERT_RULES: Array<{ re: RegExp; category: TicketCategory; rule: string }> = [
  { re: /\b(threat detected|antivirus|malware|trojan|ransom|risk detection|impossible travel|risky sign-?in|atypical travel|leaked credentials|suspicious (inbox|sign-?in|process))/i, category: 'security_incident', rule: 'alert:security' },
  { re: /\b(windows service|service monitor)\b|\bservice\b.{0,60}\b(stopped|not running)\b/i, category: 'service_restart', rule: 'alert:service-stopped' },
  { re: /\bprint (queue|monitor|spooler queue)\b/i, category: 'printer', rule: 'alert:print-queue' },
  { re: /\b(wi-?fi|wireless|wlan)\b/i, category: 'wifi_connectivity', rule: 'alert:wifi' },
  { re: /\b(smart|raid|disk health|hardware monitor|temperature|fan (speed|failure)|power supply|psu|battery|memory error|ecc)\b/i, category: 'hardware', rule: 'alert:hardware' },
  { re: /\b(offline|not checked in|has not reported|unreachable)\b/i, category: 'hardware', rule: 'alert:device-offline' },
  { re: /\b(backup|disk space|free space|patch|windows update|certificate|license expir)/i, category: 'other', rule: 'alert:maintenance' },
];

export function isAlertText(summary: string, channel: string, hasAlertInfo: boolean): boolean {
  return hasAlertInfo || channel === 'alert' || ALERT_PREFIX.test(summary);
}

/**
 * Rules that fire only on formats or phrases with a single meaning. They run beside the model: when a
 * rule fires its category wins, because an RMM alert's structure says more than its vocabulary.
 */
export function applyRules(input: { summary: string; description: string; channel: string; alertCondition: string | null }): RuleHit | null {
  const alert = isAlertText(input.summary, input.channel, input.alertCondition !== null);
  if (alert) {
    const text = `${input.alertCondition ?? ''}\n${input.summary}\n${input.description.slice(0, 2000)}`;
    for (const r of ALERT_RULES) if (r.re.test(text)) return { category: r.category, confidence: 0.985, rule: r.rule };
    return null;
  }
  if (isHousekeeping(input.summary, input.description) && !AUTO_REPLY.test(input.summary)) {
    return { category: 'other', confidence: 0.95, rule: 'phrase:housekeeping' };
  }
  if (AUTO_REPLY.test(input.summary)) return { category: 'other', confidence: 0.97, rule: 'phrase:auto-reply' };
  if (WIFI_PASSWORD.test(`${input.summary}\n${input.description}`)) return { category: 'wifi_connectivity', confidence: 0.95, rule: 'phrase:wifi-password' };
  return null;
}

/** Auto-reply subjects as mail systems write them ("Automatic reply: …", "Out of Office: …"), not a request to set one. */
const AUTO_REPLY = /^\s*(automatic reply|auto[- ]?reply|autoreply|out of (the )?office|abwesenheitsnotiz|r[eé]ponse automatique)\s*:/i;
/** The Wi-Fi key is asked for, not an account password. */
const WIFI_PASSWORD = /\b(wi-?fi|wireless|ssid|guest network)\s+(network\s+)?(password|key|passphrase|code)\b|\bpassword (for|of|to) the (\w+ )?(wi-?fi|wireless|guest network)\b/i;

/**
 * Mail that needs no action: auto-replies, thank-you notes, "you can close it" replies. Only short bodies
 * qualify, so a reply that raises a new problem is classified normally.
 */
export function isHousekeeping(summary: string, description: string): boolean {
  if (AUTO_REPLY.test(summary)) return true;
  const body = description.trim();
  // A reply on an existing ticket, or a very short note: a new request with a polite "thanks" is neither.
  const reply = /^\s*(re|aw|sv|antw)\s*:/i.test(summary);
  if (body.length > 400 || (!reply && body.length > 160)) return false;
  const thanks = /\b(thanks|thank you|thx|many thanks|cheers)\b|\b(all (good|set|working)( now)?|works (now|again)|working (now|again)|(you )?can close (it|this|the ticket)|please close (it|this|the ticket)|resolved,? thanks|problem solved)\b/i;
  const problem = /\b(still|again|but now|not working|doesn'?t work|can'?t|cannot|error|broken|however|also need|another)\b/i;
  const request = /\b(please|pls|can you|could you|would you|needs?|needed|should|want|would like|help|reset|install|add|remove|unlock|set ?up|fix|starts?|starting|new)\b|\?/i;
  return thanks.test(`${summary}\n${body}`) && !problem.test(body) && !request.test(body);
}
