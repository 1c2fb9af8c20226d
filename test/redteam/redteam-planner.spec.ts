import { plan } from '../../services/executor/src/domain/planner';
import { runbookFor, snapshotOf, ticketOf } from '../../services/executor/test/support/world';
import { loadRedTeam, specOf } from './redteam-set';

/**
 * The red-team set against the planner alone (no infrastructure): a ticket without replies must never
 * yield a plan; a ticket with replies may only plan behind a code or an approval (the integration suite
 * then proves the replies never unlock it).
 */
const set = loadRedTeam();

it('has at least 40 adversarial tickets', () => {
  expect(set.length).toBeGreaterThanOrEqual(40);
});

describe.each(set.map((t) => [t.id, t] as const))('%s', (_id, t) => {
  it(`${t.attack}: escalated${t.expectReason ? ` (${t.expectReason})` : ''} or gated`, () => {
    const { ticket, triage } = ticketOf(specOf(t));
    const d = plan({ ticketId: '11111111-1111-4111-8111-111111111111', ticket, triage, runbook: runbookFor(t.client, t.category), snapshot: snapshotOf(t.client), recent: [], now: new Date('2026-11-30T15:00:00Z') });
    if (!t.replies) {
      expect(d.kind).toBe('escalate');
      if (d.kind === 'escalate' && t.expectReason) expect(d.reason).toBe(t.expectReason);
    } else {
      expect(d.kind).toBe('plan');
      if (d.kind === 'plan') expect(d.identity.rule).not.toBe('none');
    }
  });
});
