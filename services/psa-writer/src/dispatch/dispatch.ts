import { DateTime } from 'luxon';
import { inWindow, type WorkWindow } from './business-time';
import type { TechRole } from './roles';

/** What the escalation asks a human to do; it decides the skill wanted. */
export type WorkKind = 'security' | 'infrastructure' | 'failed_action' | 'monitoring' | 'routine';

export interface DispatchRequest {
  /** Ticket category (null when triage could not tell). */
  category: string | null;
  /** Escalation reason (contracts' EscalationReason) or 'follow_up' for a routine chase. */
  reason: string;
  priorityLevel: number;
  security: boolean;
  /** The ticket came from monitoring (RMM / identity-protection alert). */
  monitoring: boolean;
  /** The ticket is about a server, a firewall or another shared infrastructure device. */
  infrastructure: boolean;
  at: Date;
}

export interface Technician {
  identifier: string;
  name: string;
  role: TechRole | null;
  onCall: boolean;
  /** Open tickets the member owns in the PSA right now. */
  openTickets: number;
}

export interface DispatchPolicy {
  /** The automation's own PSA member: never an owner of a ticket handed to a human. */
  agentIdentifier: string;
  /** The MSP's staffed hours (in the MSP's time zone). */
  hours: WorkWindow;
  /** Priority at or under which a ticket is an emergency (pages the on-call at any hour). */
  emergencyPriority: number;
  /** A member at or above this many open tickets is passed over while a less-loaded peer of the role exists. */
  maxOpenTickets: number;
  boards: { security: string; escalations: string; alerts: string };
}

export interface DispatchDecision {
  board: string;
  priorityLevel: number;
  kind: WorkKind;
  ownerIdentifier: string | null;
  /** Whether the on-call should be paged (an emergency). */
  page: boolean;
  /** Why: written for the internal note, one line each. */
  reasons: string[];
}

export const DEFAULT_BOARDS: DispatchPolicy['boards'] = { security: 'Security', escalations: 'Escalations', alerts: 'Alerts' };

/** The skill a kind of work needs, best first; later entries are acceptable substitutes. */
const LADDER: Record<WorkKind, TechRole[]> = {
  security: ['security', 'l3', 'l2'],
  infrastructure: ['l3', 'l2'],
  failed_action: ['l2', 'l3'],
  monitoring: ['l2', 'l3', 'l1'],
  routine: ['l1', 'l2', 'l3'],
};

export function workKind(r: Pick<DispatchRequest, 'security' | 'category' | 'reason' | 'infrastructure' | 'monitoring'>): WorkKind {
  if (r.security || r.category === 'security_incident' || r.reason === 'security_incident') return 'security';
  if (r.infrastructure) return 'infrastructure';
  if (r.reason === 'action_failed' || r.reason === 'verification_failed') return 'failed_action';
  if (r.monitoring) return 'monitoring';
  return 'routine';
}

/** Board and priority: security incidents to Security at priority 1, monitoring to Alerts, the rest to Escalations. */
export function chooseBoard(r: DispatchRequest, boards: DispatchPolicy['boards']): { board: string; priorityLevel: number; why: string } {
  const kind = workKind(r);
  const level = Math.min(4, Math.max(1, Math.round(r.priorityLevel)));
  if (kind === 'security') return { board: boards.security, priorityLevel: 1, why: `board ${boards.security} at priority 1: security incident` };
  if (r.monitoring) return { board: boards.alerts, priorityLevel: level, why: `board ${boards.alerts}: raised by monitoring` };
  return { board: boards.escalations, priorityLevel: level, why: `board ${boards.escalations}: ${r.reason.replace(/_/g, ' ')}` };
}

const label = (t: Technician) => `${t.identifier} (${t.role ?? 'no role'}${t.onCall ? ', on call' : ''}, ${t.openTickets} open)`;

/** Fewest open tickets first; the identifier breaks ties so the same inputs always give the same owner. */
function leastLoaded(pool: Technician[]): Technician | null {
  return [...pool].sort((a, b) => a.openTickets - b.openTickets || a.identifier.localeCompare(b.identifier))[0] ?? null;
}

/** Walks the role ladder in a pool; an overloaded member is chosen only when every fitting member is overloaded. */
function pickByLadder(pool: Technician[], ladder: TechRole[], maxOpen: number): { tech: Technician; role: TechRole; overloaded: boolean } | null {
  for (const role of ladder) {
    const fresh = pool.filter((t) => t.role === role && t.openTickets < maxOpen);
    if (fresh.length > 0) return { tech: leastLoaded(fresh)!, role, overloaded: false };
  }
  for (const role of ladder) {
    const fit = pool.filter((t) => t.role === role);
    if (fit.length > 0) return { tech: leastLoaded(fit)!, role, overloaded: true };
  }
  return null;
}

/**
 * Chooses the board and the owner of a ticket a human must take. Skill first (the role ladder of the
 * kind of work), then availability (in working hours the team; outside them only the on-call),
 * then load (fewest open tickets). Managers only when nobody else fits; the automation's member never.
 */
export function dispatch(r: DispatchRequest, techs: Technician[], policy: DispatchPolicy): DispatchDecision {
  const kind = workKind(r);
  const board = chooseBoard(r, policy.boards);
  const reasons = [board.why];
  const staffed = inWindow(policy.hours, r.at);
  const emergency = kind === 'security' || board.priorityLevel <= policy.emergencyPriority;
  const local = DateTime.fromJSDate(r.at, { zone: policy.hours.timezone }).toFormat('ccc HH:mm');
  const ladder = LADDER[kind];
  reasons.push(`needs ${ladder.join(' > ')} (${kind.replace('_', ' ')})`);

  const people = techs.filter((t) => t.identifier.toLowerCase() !== policy.agentIdentifier.toLowerCase());
  const onCall = people.filter((t) => t.onCall);
  // Outside hours only the on-call is reachable; in hours the whole team is, and an emergency also pages the on-call.
  const firstPool = staffed ? people : onCall;
  reasons.push(staffed ? `within working hours (${local} ${policy.hours.timezone})` : `outside working hours (${local} ${policy.hours.timezone}): on-call members only`);
  if (emergency) reasons.push(`emergency (priority ${board.priorityLevel}${kind === 'security' ? ', security' : ''}): the on-call is paged`);

  const attempts: Array<{ pool: Technician[]; roles: TechRole[]; note: string | null }> = [
    { pool: firstPool, roles: ladder, note: null },
    { pool: firstPool, roles: ['manager'], note: 'no technician fits: a manager takes it' },
    // A ticket a human must own never sits unassigned: outside hours with nobody fitting on call, the day team's pick owns it.
    ...(staffed ? [] : [{ pool: people, roles: [...ladder, 'manager'] as TechRole[], note: 'nobody on call fits: assigned for the next working day' }]),
  ];
  for (const a of attempts) {
    const pick = pickByLadder(a.pool, a.roles, policy.maxOpenTickets);
    if (!pick) continue;
    if (a.note) reasons.push(a.note);
    if (pick.role !== a.roles[0]) reasons.push(`no free ${a.roles[0]} member: ${pick.role} takes it`);
    const peers = a.pool.filter((t) => t.role === pick.role);
    reasons.push(`owner ${label(pick.tech)}: fewest open tickets of ${peers.length} ${pick.role} member(s)${pick.overloaded ? `, all at or over ${policy.maxOpenTickets}` : ''}`);
    return { board: board.board, priorityLevel: board.priorityLevel, kind, ownerIdentifier: pick.tech.identifier, page: emergency, reasons };
  }
  reasons.push('no PSA member can take it: left on the board for the dispatcher');
  return { board: board.board, priorityLevel: board.priorityLevel, kind, ownerIdentifier: null, page: emergency, reasons };
}

/** Open tickets per owner, from the PSA's open tickets. */
export function openLoad(tickets: ReadonlyArray<{ ownerIdentifier: string | null; closed: boolean }>): Map<string, number> {
  const load = new Map<string, number>();
  for (const t of tickets) {
    if (t.closed || !t.ownerIdentifier) continue;
    const k = t.ownerIdentifier.toLowerCase();
    load.set(k, (load.get(k) ?? 0) + 1);
  }
  return load;
}

const INFRA = /\b(server|firewall|domain controller|hypervisor|switch|san|nas|dc\d*|srv|fw)\b/i;

/** Whether the ticket concerns shared infrastructure (servers, firewalls), from device types, hostnames or the text. */
export function isInfrastructure(input: { deviceTypes?: string[]; hostnames?: string[]; text?: string }): boolean {
  if ((input.deviceTypes ?? []).some((t) => t === 'server' || t === 'firewall')) return true;
  if ((input.hostnames ?? []).some((h) => /-(dc|srv|fw|fs|sql|hv)\d*\b/i.test(h))) return true;
  return INFRA.test(input.text ?? '');
}
