import { stripQuotedHistory } from './intake/input-check';
import { applyRules, isHousekeeping } from './rules';

const alert = (summary: string, description: string) => applyRules({ summary, description, channel: 'alert', alertCondition: null });

describe('rules', () => {
  it('maps RMM alert formats to categories', () => {
    expect(alert("[NinjaOne] X-WS-01: Windows service 'Spooler' is stopped", 'Condition: Windows Service - Spooler state is Stopped')?.category).toBe('service_restart');
    expect(alert('[Datto RMM] Service Monitor: Foo stopped on X-SRV01', 'Alert: Service Monitor - Foo - Stopped')?.category).toBe('service_restart');
    expect(alert('[NinjaOne] X-SRV01: SMART predictive failure on Disk 1', 'Condition: Disk health')?.category).toBe('hardware');
    expect(alert('[Datto RMM] X-SRV01: RAID array degraded', 'Hardware Monitor')?.category).toBe('hardware');
    expect(alert("[NinjaOne] X-SRV01: Print queue 'P1' stalled", 'Condition: Print queue stalled')?.category).toBe('printer');
    expect(alert('[NinjaOne] X-LT-01: Wi-Fi adapter disconnected 5 times', 'Network adapter Wi-Fi')?.category).toBe('wifi_connectivity');
    expect(alert('[Entra ID Protection] Impossible travel: a@b.example', 'Risk detection')?.category).toBe('security_incident');
    expect(alert('[NinjaOne] X-SRV01: Disk space low on C:', 'Condition: free space below 10 percent')?.category).toBe('other');
  });

  it('does not fire on ordinary mail', () => {
    expect(applyRules({ summary: 'Printer not printing', description: 'stuck', channel: 'email', alertCondition: null })).toBeNull();
  });

  it('recognises auto-replies and thank-you notes, but not a thank-you that raises a problem', () => {
    expect(applyRules({ summary: 'Automatic reply: Out of office', description: 'I am away', channel: 'email', alertCondition: null })?.category).toBe('other');
    expect(isHousekeeping('Re: Your ticket', 'Great, thank you so much!')).toBe(true);
    expect(isHousekeeping('Re: Your ticket', 'Thanks, but it is still not working')).toBe(false);
    expect(isHousekeeping('Password', 'Please reset my password, thanks')).toBe(false);
  });
});

describe('quoted reply history', () => {
  it('keeps only the new text of a reply', () => {
    expect(stripQuotedHistory('Thanks, all good now!\n\n-----Original Message-----\nFrom: Desk\nYour password has been reset.')).toBe('Thanks, all good now!');
    expect(stripQuotedHistory('Still broken.\n\nOn Mon, Nov 30, 2026 at 9:00 AM Desk <d@x.example> wrote:\n> reset done')).toBe('Still broken.');
    expect(stripQuotedHistory('> only quoted text')).toBe('> only quoted text');
  });
});
