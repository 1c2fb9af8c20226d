import { effectivePolicy, parsePolicyDocument, SAFE_DEFAULT_POLICY } from './policy';
import { decideRoute, RouteInput } from './route';

describe('policy', () => {
  const doc = parsePolicyDocument({
    defaults: { mode: 'shadow', minConfidence: 0.9 },
    rules: [
      { client: '*', category: '*', mode: 'shadow' },
      { client: '*', category: 'password_reset', mode: 'autonomous', minConfidence: 0.95 },
      { client: 'ContosoDental', category: '*', mode: 'off' },
      { client: 'ContosoDental', category: 'printer', mode: 'autonomous', afterHours: 'escalate' },
    ],
  });

  it('uses the most specific rule: client+category, client+*, *+category, *+*', () => {
    expect(effectivePolicy(doc, 'ContosoDental', 'printer')).toMatchObject({ mode: 'autonomous', afterHours: 'escalate', source: 'ContosoDental:printer' });
    expect(effectivePolicy(doc, 'contosodental', 'password_reset')).toMatchObject({ mode: 'off', source: 'ContosoDental:*' });
    expect(effectivePolicy(doc, 'TailspinMfg', 'password_reset')).toMatchObject({ mode: 'autonomous', minConfidence: 0.95 });
    expect(effectivePolicy(doc, 'TailspinMfg', 'printer')).toMatchObject({ mode: 'shadow', source: '*:*' });
    expect(effectivePolicy(doc, null, 'printer').source).toBe('*:*');
  });

  it('defaults to shadow when nothing is configured', () => {
    expect(effectivePolicy(SAFE_DEFAULT_POLICY, 'X', 'printer')).toMatchObject({ mode: 'shadow', minConfidence: 0.9, killSwitch: null, source: 'defaults' });
  });

  it('reports the kill switch, global before client', () => {
    expect(effectivePolicy({ ...doc, killSwitch: { global: false, clients: ['TailspinMfg'] } }, 'tailspinmfg', 'printer').killSwitch).toBe('client');
    expect(effectivePolicy({ ...doc, killSwitch: { global: true, clients: ['TailspinMfg'] } }, 'TailspinMfg', 'printer').killSwitch).toBe('global');
  });

  it('rejects invalid documents with the failing path', () => {
    expect(() => parsePolicyDocument({ rules: [{ client: '*', category: 'teleport', mode: 'autonomous' }] })).toThrow(/rules\.0\.category/);
  });
});

describe('route', () => {
  const base: RouteInput = {
    category: 'password_reset', confidence: 0.97,
    policy: { mode: 'autonomous', minConfidence: 0.9, afterHours: 'same', killSwitch: null, source: '*:password_reset' },
    badInput: null, security: { flagged: false, incident: false, signals: [] }, clientKnown: true, requesterOnFile: true,
    affectedResolved: true, affectedAmbiguous: false, protectedTarget: null, afterHours: false, housekeeping: false, wideOutage: false, offlineDevice: null,
  };

  it('writes down every blocker', () => {
    const r = decideRoute({ ...base, confidence: 0.5, requesterOnFile: false, protectedTarget: 'x is disabled' });
    expect(r.route.decision).toBe('escalate');
    expect(r.route.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/low confidence/), expect.stringMatching(/not a contact on file/), expect.stringMatching(/protected account/)]));
    expect(r.escalation).toBeNull();
  });

  it('sends security, out-of-scope and bad input to a human at once', () => {
    expect(decideRoute({ ...base, security: { flagged: true, incident: true, signals: ['phishing'] } }).escalation).toBe('security_incident');
    expect(decideRoute({ ...base, security: { flagged: true, incident: false, signals: ['privilege_elevation'] } }).escalation).toBe('privileged_target');
    expect(decideRoute({ ...base, category: 'hardware' }).escalation).toBe('out_of_scope');
    expect(decideRoute({ ...base, badInput: 'empty' }).escalation).toBe('bad_input');
  });

  it('does not plan remote work on an offline device', () => {
    const r = decideRoute({ ...base, category: 'software_reinstall', offlineDevice: 'X-LT-01' });
    expect(r.route.decision).toBe('escalate');
    expect(r.route.reasons.join(' ')).toMatch(/X-LT-01 is offline/);
  });

  it('asks for clarification instead of escalating an ambiguous affected user', () => {
    const r = decideRoute({ ...base, affectedResolved: false, affectedAmbiguous: true });
    expect(r.route.decision).toBe('autonomous');
    expect(r.route.reasons.join(' ')).toMatch(/ask the requester/);
  });

  it('lets housekeeping mail (thank-you, auto-reply) through as "other"', () => {
    expect(decideRoute({ ...base, category: 'other', housekeeping: true }).route.decision).toBe('autonomous');
    expect(decideRoute({ ...base, category: 'other', housekeeping: false }).route.decision).toBe('escalate');
  });

  it('applies after-hours behaviour and the policy mode', () => {
    expect(decideRoute({ ...base, afterHours: true, policy: { ...base.policy, afterHours: 'escalate' } }).route.decision).toBe('escalate');
    expect(decideRoute({ ...base, afterHours: true }).route.reasons.join(' ')).toMatch(/after hours: policy allows/);
    expect(decideRoute({ ...base, policy: { ...base.policy, mode: 'off' } }).route.reasons.join(' ')).toMatch(/policy is off/);
  });
});
