import { EscalationReason, Route, TicketCategory } from '@desk/contracts';
import { EffectivePolicy, IDENTITY_CATEGORIES, NEVER_AUTONOMOUS } from './policy';

/** Categories whose fix runs a script on a device through the RMM. */
const DEVICE_ACTIONS: ReadonlySet<TicketCategory> = new Set<TicketCategory>(['software_install', 'software_reinstall', 'service_restart']);

export interface RouteInput {
  category: TicketCategory;
  confidence: number;
  policy: EffectivePolicy;
  badInput: string | null;
  security: { flagged: boolean; incident: boolean; signals: string[] };
  clientKnown: boolean;
  requesterOnFile: boolean;
  affectedResolved: boolean;
  affectedAmbiguous: boolean;
  /** Auto-reply, thank-you note or reply on an existing ticket: closing or attaching it needs no technician. */
  housekeeping: boolean;
  /** An outage many users feel (network, mail): a technician owns it. */
  wideOutage: boolean;
  /** A device the action would run on that the RMM reports offline (nothing can run remotely). */
  offlineDevice: string | null;
  /** Why the target account must not be changed by automation (disabled, shared, privileged...), if so. */
  protectedTarget: string | null;
  afterHours: boolean;
}

export interface RouteDecision {
  route: Route;
  /** Set when a human must take the ticket now (published as ticket.escalated, not ticket.triaged). */
  escalation: EscalationReason | null;
}

/**
 * Route = autonomous | shadow | escalate, with every reason written down. Hard stops first (bad input,
 * security, out of scope), then facts that make automation unsafe, then the client's policy.
 */
export function decideRoute(i: RouteInput): RouteDecision {
  const { policy } = i;
  const base = { policyMode: policy.mode, threshold: policy.minConfidence };
  const escalate = (reasons: string[], escalation: EscalationReason | null): RouteDecision => ({ route: { decision: 'escalate', reasons, ...base }, escalation });

  if (i.badInput) return escalate([`bad input: ${i.badInput}`], 'bad_input');
  if (i.security.flagged) {
    const reasons = [`security screen: ${i.security.signals.join(', ')}`, 'security-relevant tickets are never automated'];
    return escalate(reasons, i.security.incident || i.category === 'security_incident' ? 'security_incident' : 'privileged_target');
  }
  if (i.category === 'security_incident') return escalate(['classified as a security incident', 'security-relevant tickets are never automated'], 'security_incident');
  if (i.wideOutage) return escalate(['outage affecting many users: a technician owns it'], 'out_of_scope');
  if (NEVER_AUTONOMOUS.has(i.category) && !(i.category === 'other' && i.housekeeping)) return escalate([`out of scope for L1 automation: ${i.category}`], 'out_of_scope');

  const blockers: string[] = [];
  if (!i.clientKnown) blockers.push('unknown client: no PSA company, sender domain or contact matched');
  if (IDENTITY_CATEGORIES.has(i.category)) {
    if (!i.requesterOnFile) blockers.push('sender is not a contact on file (identity actions need a known requester)');
    if (!i.affectedResolved && !i.affectedAmbiguous) blockers.push('affected user could not be resolved');
    if (i.protectedTarget) blockers.push(`protected account: ${i.protectedTarget}`);
  }
  if (i.offlineDevice && DEVICE_ACTIONS.has(i.category)) blockers.push(`device ${i.offlineDevice} is offline: nothing can run on it remotely`);
  if (policy.mode === 'off') blockers.push(`policy is off for ${i.category} (${policy.source})`);
  if (i.confidence < policy.minConfidence) blockers.push(`low confidence: ${i.confidence.toFixed(2)} < ${policy.minConfidence.toFixed(2)}`);
  if (blockers.length) {
    // Still published as ticket.triaged: knowledge attaches the documents a technician will want.
    return { route: { decision: 'escalate', reasons: blockers, ...base }, escalation: null };
  }

  const notes = IDENTITY_CATEGORIES.has(i.category) && i.affectedAmbiguous ? ['affected user is ambiguous: ask the requester which person before acting'] : [];
  if (i.category === 'other' && i.housekeeping) notes.push('housekeeping: auto-reply, thank-you or reply on an existing ticket');
  if (policy.killSwitch) {
    return { route: { decision: 'shadow', reasons: [`kill switch engaged (${policy.killSwitch}): propose only`], ...base }, escalation: null };
  }
  if (i.afterHours && policy.afterHours !== 'same') {
    return {
      route: { decision: policy.afterHours === 'escalate' ? 'escalate' : 'shadow', reasons: [`after hours: policy says ${policy.afterHours}`], ...base },
      escalation: null,
    };
  }
  if (policy.mode === 'shadow') return { route: { decision: 'shadow', reasons: [`policy mode shadow (${policy.source})`, ...notes], ...base }, escalation: null };
  return {
    route: { decision: 'autonomous', reasons: [`policy autonomous (${policy.source}), confidence ${i.confidence.toFixed(2)} >= ${policy.minConfidence.toFixed(2)}`, ...notes, ...(i.afterHours ? ['after hours: policy allows'] : [])], ...base },
    escalation: null,
  };
}
