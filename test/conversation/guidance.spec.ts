import { composeGuidance, answerFromRunbook, guidanceBlocked } from '../../services/executor/src/conversation/domain/conversation';
import { toUserVoice, userGuidance } from '../../services/executor/src/conversation/domain/user-steps';
import { resolutionOf, seedDoc } from './seed-runbooks';

/**
 * Step extraction on the demo world's own runbooks, through knowledge's real parsing and resolution: the
 * client-specific facts come from the runbook text, technician-only lines never reach the user.
 */
const TECH = /RMM|NinjaOne|Datto|inventory|Reinstall-|Restart-|script|firewall|\bL2\b|escalat|time entry/i;

describe('user steps from a runbook', () => {
  it('Alder & Brooks VPN: the hotspot tip and the check to make, no technician lines', () => {
    const r = resolutionOf(seedDoc('alder-brooks/vpn-cisco-secure-client.md', 'AlderBrooksCPA'), 'vpn_connectivity');
    const g = userGuidance(r.prose, 'The VPN will not connect from the client site')!;
    expect(g.source).toBe('extracted');
    expect(g.steps.join(' ')).toMatch(/phone hotspot/);
    expect(g.steps.join(' ')).toMatch(/LedgerPoint/);
    expect(g.facts.join(' ')).toMatch(/vpn\.alderbrooks-cpa\.example/);
    expect(composeGuidance(g, 'Oliver Calder')).not.toMatch(TECH);
  });

  it('Contoso VPN: the right portal and port, and the hotspot first', () => {
    const r = resolutionOf(seedDoc('contoso-dental/vpn-forticlient.md', 'ContosoDental'), 'vpn_connectivity');
    const g = userGuidance(r.prose, 'VPN not connecting from the hotel')!;
    expect(g.steps.join(' ')).toMatch(/^Try a phone hotspot/);
    expect(g.facts.join(' ')).toMatch(/vpn\.contoso-dental\.example on port 10443/);
    expect(composeGuidance(g, null)).not.toMatch(TECH);
  });

  it('Riverbend Wi-Fi: a question the runbook answers is answered in the user\'s words', () => {
    const r = resolutionOf(seedDoc('riverbend-foundation/guest-wifi-events.md', 'RiverbendFdn'), 'wifi_connectivity');
    const g = userGuidance(r.prose, 'What is the guest Wi-Fi password for the volunteers on Saturday?')!;
    expect(g.answer).toBe('It is on the table cards and at the front desk; we do not give it out by email or chat. Thomas Reed can help you with it.');
    expect(answerFromRunbook(r.prose, 'and what is the guest wifi password again?')).toMatch(/table cards/);
    expect(answerFromRunbook(r.prose, 'can I bring my own printer to the event?')).toBeNull();
  });

  it('a runbook with nothing (or nothing of substance) for the user gives no guidance', () => {
    const r = resolutionOf(seedDoc('_global/email-troubleshooting.md', null), 'email_issue');
    expect(userGuidance(r.prose, 'Outlook crashes when I open it')).toBeNull();
    // Its only user line is "print again": not worth a conversation, a technician looks.
    const p = resolutionOf(seedDoc('_global/print-queue-clear.md', null), 'printer');
    expect(userGuidance(p.prose, 'My print jobs are stuck')).toBeNull();
  });

  it('Tailspin VPN: the step and the portal it needs', () => {
    const r = resolutionOf(seedDoc('tailspin-mfg/vpn-netextender.md', 'TailspinMfg'), 'vpn_connectivity');
    const g = userGuidance(r.prose, 'NetExtender will not connect')!;
    expect(g.steps).toEqual(['Connect and open a file on TSP-SRV-FS01.']);
    expect(g.facts).toEqual(['Portal: vpn.tailspin-mfg.example.']);
  });

  it('the "For the user" section convention wins and is sent item by item', () => {
    const section = '\n\n## For the user\n1. Forget the RCF-Staff network on your laptop.\n2. Join RCF-Staff again and sign in with your new Riverbend password.\n';
    const r = resolutionOf(seedDoc('riverbend-foundation/guest-wifi-events.md', 'RiverbendFdn', section), 'wifi_connectivity');
    expect(r.prose.forUser).toContain('Forget the RCF-Staff network');
    const g = userGuidance(r.prose, 'My laptop will not join the staff Wi-Fi since I changed my password')!;
    expect(g).toMatchObject({ source: 'section', steps: ['Forget the RCF-Staff network on your laptop.', 'Join RCF-Staff again and sign in with your new Riverbend password.'] });
  });

  it('a runbook whose "Escalate if" is "Always" is never used for guidance: a technician takes the ticket', () => {
    const r = resolutionOf(seedDoc('riverbend-foundation/guest-wifi-events.md', 'RiverbendFdn'), 'wifi_connectivity');
    expect(guidanceBlocked(r)).toMatch(/always takes these tickets \(Always: this client has no automated Wi-Fi fix/);
    expect(guidanceBlocked(resolutionOf(seedDoc('contoso-dental/vpn-forticlient.md', 'ContosoDental'), 'vpn_connectivity'))).toBeNull();
  });

  it('a stale runbook is never sent to a user (its portal may no longer exist)', () => {
    const r = resolutionOf(seedDoc('whitfield-crane/vpn-globalprotect.md', 'WhitfieldCrane'), 'vpn_connectivity');
    expect(guidanceBlocked(r)).toMatch(/stale/);
  });

  it.each([
    ['print again and confirm', 'Print again.'],
    ['the requester\'s laptop needs the saved Wi-Fi credentials updated', 'Your laptop needs the saved Wi-Fi credentials updated.'],
  ])('speaks to the user: %s', (tech, user) => expect(toUserVoice(tech)).toBe(user));
});
