import { TicketCategory } from '@desk/contracts';

/** A hand-written keyword baseline: what a help desk's mail rules would do. */
const KEYWORDS: Array<[TicketCategory, string[]]> = [
  ['password_reset', ['password', 'forgot', 'reset']],
  ['account_unlock', ['locked', 'unlock', 'lockout']],
  ['mfa_reenroll', ['mfa', 'authenticator', 'two-factor', '2fa', 'multi-factor']],
  ['group_membership', ['group', 'access', 'permission', 'share', 'folder']],
  ['distribution_list', ['distribution', 'mailing list', 'dl', 'list']],
  ['software_install', ['install', 'need software']],
  ['software_reinstall', ['reinstall', 'crash', 'crashes', 'repair']],
  ['vpn_connectivity', ['vpn', 'globalprotect', 'forticlient', 'anyconnect', 'remote access']],
  ['wifi_connectivity', ['wifi', 'wi-fi', 'wireless', 'ssid']],
  ['printer', ['print', 'printer', 'toner', 'scan']],
  ['onboarding', ['new hire', 'new employee', 'starting', 'starts', 'onboard']],
  ['offboarding', ['leaving', 'last day', 'disable', 'offboard', 'terminat']],
  ['email_issue', ['outlook', 'email', 'mailbox', 'inbox']],
  ['service_restart', ['service', 'stopped', 'restart']],
  ['hardware', ['monitor', 'keyboard', 'mouse', 'battery', 'screen', 'disk', 'laptop']],
  ['security_incident', ['phishing', 'hacked', 'virus', 'suspicious', 'ransom', 'malware']],
  ['other', ['quote', 'invoice', 'thank']],
];

export class KeywordBaseline {
  constructor(private readonly fallback: TicketCategory) {}

  predict(text: string): { category: TicketCategory; confidence: number } {
    const t = text.toLowerCase();
    let best: TicketCategory = this.fallback;
    let bestHits = 0;
    for (const [category, words] of KEYWORDS) {
      const hits = words.filter((w) => t.includes(w)).length;
      if (hits > bestHits) {
        best = category;
        bestHits = hits;
      }
    }
    return { category: best, confidence: bestHits === 0 ? 0.1 : Math.min(0.5 + 0.15 * bestHits, 0.95) };
  }
}

export function majorityClass(labels: readonly TicketCategory[]): TicketCategory {
  const counts = new Map<TicketCategory, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}
