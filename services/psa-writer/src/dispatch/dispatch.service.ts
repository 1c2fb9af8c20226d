import { Inject, Injectable } from '@nestjs/common';
import { AdapterRegistry, type PsaClient } from '@desk/adapters';
import type { TicketEscalatedV1 } from '@desk/contracts';
import { DEFAULT_BOARDS, dispatch, isInfrastructure, openLoad, type DispatchDecision, type DispatchPolicy, type DispatchRequest, type Technician } from './dispatch';
import { roleOf } from './roles';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from './tokens';
import type { DispatchEnv } from './dispatch-config';

const PRIORITY_NAMES: Record<number, string> = { 1: 'Priority 1 - Critical', 2: 'Priority 2 - High', 3: 'Priority 3 - Medium', 4: 'Priority 4 - Low' };

/**
 * Dispatch against the live PSA: the team from listMembers (role from the member's title or a configured
 * override, on-call from the configured roster), load from the PSA's open tickets, then the domain rules.
 */
@Injectable()
export class DispatchService {
  private readonly cache = new Map<string, { at: number; techs: Technician[] }>();

  constructor(
    private readonly registry: AdapterRegistry,
    @Inject(DISPATCH_ENV) private readonly env: DispatchEnv,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {}

  policy(): DispatchPolicy {
    return {
      agentIdentifier: this.registry.config.msp.agentMemberIdentifier,
      hours: { timezone: this.env.DESK_DISPATCH_TIMEZONE || this.registry.config.msp.timezone, ...this.env.DESK_DISPATCH_HOURS },
      emergencyPriority: this.env.DESK_DISPATCH_EMERGENCY_PRIORITY,
      maxOpenTickets: this.env.DESK_DISPATCH_MAX_OPEN,
      boards: DEFAULT_BOARDS,
    };
  }

  /** The team as the client's PSA knows it, with each member's open load (cached briefly: PSA calls are rate limited). */
  async technicians(clientIdentifier: string): Promise<Technician[]> {
    const hit = this.cache.get(clientIdentifier);
    const now = this.clock().getTime();
    if (hit && now - hit.at < this.env.DESK_DISPATCH_CACHE_MS) return hit.techs;
    const psa = this.registry.psa(clientIdentifier);
    const [members, open] = await Promise.all([psa.listMembers(), psa.findTickets({ openOnly: true, limit: 1000 })]);
    const load = openLoad(open);
    const onCall = new Set(this.env.DESK_DISPATCH_ON_CALL.map((m) => m.toLowerCase()));
    const techs = members.map((m) => ({
      identifier: m.identifier, name: `${m.firstName} ${m.lastName}`.trim(),
      role: roleOf(m.identifier, m.role, this.env.DESK_DISPATCH_ROLES),
      onCall: onCall.has(m.identifier.toLowerCase()), openTickets: load.get(m.identifier.toLowerCase()) ?? 0,
    }));
    this.cache.set(clientIdentifier, { at: now, techs });
    return techs;
  }

  /** The dispatch request an escalation event describes. */
  static requestFor(e: TicketEscalatedV1, at: Date): DispatchRequest {
    const hostnames = e.summary.context.assets;
    return {
      category: e.category, reason: e.reason, priorityLevel: e.priorityLevel, security: e.security,
      monitoring: e.ticket.channel === 'alert', at,
      infrastructure: isInfrastructure({ hostnames, text: `${e.ticket.summary}\n${e.ticket.description}` }),
    };
  }

  async decide(clientIdentifier: string, request: DispatchRequest): Promise<DispatchDecision> {
    return dispatch(request, await this.technicians(clientIdentifier), this.policy());
  }

  /**
   * Routes an escalated PSA ticket to its board with an owner and writes why as an internal note: the one
   * call psa-writer's escalation path makes instead of a route without an owner.
   */
  async assign(clientIdentifier: string, psaTicketId: string, e: TicketEscalatedV1): Promise<DispatchDecision> {
    const decision = await this.decide(clientIdentifier, DispatchService.requestFor(e, this.clock()));
    const psa: PsaClient = this.registry.psa(clientIdentifier);
    await psa.route(psaTicketId, { board: decision.board, priority: PRIORITY_NAMES[decision.priorityLevel], ownerIdentifier: decision.ownerIdentifier });
    await psa.addNote(psaTicketId, { text: `Dispatch\n${decision.reasons.map((r) => `- ${r}`).join('\n')}`, internal: true });
    // The owner's load grew by one: the next decision in the cache window must see it.
    const cached = this.cache.get(clientIdentifier)?.techs.find((t) => t.identifier === decision.ownerIdentifier);
    if (cached) cached.openTickets += 1;
    return decision;
  }
}
