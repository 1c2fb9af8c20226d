import { Inject, Injectable } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { decideCoverage, type AgreementView, type CoverageDecision, type WorkTypes } from './coverage';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from '../dispatch/tokens';
import type { DispatchEnv } from '../dispatch/dispatch-config';

/**
 * The client's agreements from its PSA (ConnectWise agreements, HaloPSA / Autotask contracts through
 * PsaClient.listAgreements), cached per client, and the coverage decision for one ticket.
 */
@Injectable()
export class AgreementService {
  private readonly cache = new Map<string, { at: number; agreements: AgreementView[] }>();

  constructor(
    private readonly registry: AdapterRegistry,
    @Inject(DISPATCH_ENV) private readonly env: DispatchEnv,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {}

  async agreements(clientIdentifier: string): Promise<AgreementView[]> {
    const now = this.clock().getTime();
    const hit = this.cache.get(clientIdentifier);
    if (hit && now - hit.at < this.env.DESK_AGREEMENT_CACHE_MS) return hit.agreements;
    const agreements = (await this.registry.psa(clientIdentifier).listAgreements(clientIdentifier))
      .map((a) => ({ id: a.id, name: a.name, coveredWork: a.coveredWork, active: a.active }));
    this.cache.set(clientIdentifier, { at: now, agreements });
    return agreements;
  }

  /** Covered → the desk's non-billable work type; not covered → billable; outside the scope → escalate with the reason. */
  async coverage(clientIdentifier: string, ticket: { category: string | null; summary: string; description: string }): Promise<CoverageDecision> {
    return this.decide(clientIdentifier, { category: ticket.category, text: `${ticket.summary}\n${ticket.description}` });
  }

  async decide(clientIdentifier: string, input: { category: string | null; text: string }): Promise<CoverageDecision> {
    return decideCoverage(input, await this.agreements(clientIdentifier), this.workTypes());
  }

  /** Configurable: covered work uses the desk config's msp.workType, billable work DESK_BILLABLE_WORK_TYPE. */
  workTypes(): WorkTypes {
    return { covered: this.registry.config.msp.workType, billable: this.env.DESK_BILLABLE_WORK_TYPE };
  }
}
