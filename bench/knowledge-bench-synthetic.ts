import { ACTIONS, RUNBOOK_CATEGORIES } from '@desk/contracts';

export const WORDS = ['printer', 'queue', 'vpn', 'tunnel', 'laptop', 'outlook', 'mailbox', 'group', 'access', 'share', 'license', 'install',
  'reinstall', 'spooler', 'wifi', 'ssid', 'badge', 'scanner', 'invoice', 'portal', 'firewall', 'backup', 'archive', 'payroll', 'kiosk',
  'warehouse', 'clinic', 'calendar', 'teams', 'onedrive', 'sharepoint', 'password', 'unlock', 'token', 'phone', 'tablet', 'monitor', 'dock'];

/** One synthetic runbook (Markdown with an automation header), deterministic per (client, i). */
export function synthetic(client: number, i: number): { path: string; text: string } {
  const category = RUNBOOK_CATEGORIES[(client * 7 + i) % RUNBOOK_CATEGORIES.length]!;
  const action = ACTIONS[(client + i) % ACTIONS.length]!;
  const w = (k: number) => WORDS[(client * 31 + i * 17 + k * 13) % WORDS.length]!;
  const title = `Client ${client} - ${category.replace(/_/g, ' ')} ${w(1)} ${w(2)} procedure ${i}`;
  const updated = new Date(Date.UTC(2025, 0, 1) + ((client * 97 + i * 13) % 700) * 86_400_000).toISOString().slice(0, 10);
  const header = i % 3 === 0 ? '' : `automation:\n  action: ${action}\n  identityVerification: contact_on_file\n  verify: "the ${w(3)} works again"\n`;
  const body = Array.from({ length: 12 }, (_, k) => `- Check the ${w(k)} and the ${w(k + 5)} for user ${client}-${i}-${k}; note the ${w(k + 9)} state.`).join('\n');
  return {
    path: `client-${client}/doc-${i}.md`,
    text: `---\ntitle: "${title}"\ncategory: ${category}\n${header}updated: "${updated}"\nowner: "Bench"\n---\n\n# ${title}\n\n## Applies to\nClient ${client} staff with a ${w(4)}.\n\n## Prerequisites\n- The ${w(5)} is enabled.\n\n## Steps\n${body}\n\n## Verification\nThe ${w(6)} works.\n\n## Escalate if\n- The ${w(7)} is privileged.\n\n## Notes\n${w(8)} ${w(9)} ${w(10)}.\n`,
  };
}

