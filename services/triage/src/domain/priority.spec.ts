import { isAfterHours } from './hours';
import { assessPriority, PriorityInput } from './priority';

const p = (over: Partial<PriorityInput>) => assessPriority({ summary: '', description: '', category: 'printer', vip: false, securitySignals: [], alertSeverity: null, alertCount: 1, ...over });

describe('priority (impact x urgency)', () => {
  it('single user, normal urgency is medium/low', () => {
    expect(p({ description: 'The printer is jammed.' }).level).toBe(3);
    expect(p({ description: 'No rush, whenever you have time.' }).level).toBe(4);
  });
  it('whole office down and urgent is critical', () => {
    expect(p({ description: 'The whole office is down, nobody can work. URGENT' }).level).toBe(1);
  });
  it('raises VIPs one level and follows alert severity', () => {
    expect(p({ description: 'Printer jammed', vip: true })).toMatchObject({ level: 2, reasons: expect.arrayContaining(['VIP contact']) });
    expect(p({ alertSeverity: 'Critical' }).level).toBe(1);
    expect(p({ alertSeverity: 'Minor', alertCount: 8 }).level).toBe(3);
  });
  it('security incidents are at least P2, P1 when there was compromise or interaction', () => {
    expect(p({ category: 'security_incident', securitySignals: ['phishing'], description: 'suspicious email, did not click' }).level).toBe(2);
    expect(p({ category: 'security_incident', securitySignals: ['phishing'], description: 'I clicked the link and typed my password' }).level).toBe(1);
  });
});

describe('after hours in the client time zone', () => {
  const hours = { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' };
  it('uses local time, weekdays and the end boundary', () => {
    expect(isAfterHours('2026-11-30T15:00:00Z', 'America/Chicago', hours)).toBe(false); // Mon 09:00 CST
    expect(isAfterHours('2026-11-30T23:30:00Z', 'America/Chicago', hours)).toBe(true); // Mon 17:30
    expect(isAfterHours('2026-11-28T16:00:00Z', 'America/Chicago', hours)).toBe(true); // Saturday
    expect(isAfterHours('2026-11-30T23:30:00Z', 'America/Los_Angeles', hours)).toBe(false); // Mon 15:30 PST
  });
});
