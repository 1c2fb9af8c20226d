import { RunbookResolution, TicketCategory } from '@desk/contracts';
import { Clock } from '../domain/clock';
import { isRunbookCategory, resolveRunbook } from '../domain/resolution';
import { StalenessPolicy } from '../domain/staleness';
import { Db, Sql } from '../persistence/db';
import { DocumentStore } from '../persistence/document-store';
import { GapStore } from '../persistence/gap-store';
import { KnowledgeMetrics, noMetrics } from './ports';

/** Resolves the runbook for a ticket at run time from the index, and records the outcome for the gap report. */
export class ResolveService {
  constructor(
    private readonly db: Db,
    private readonly docs: DocumentStore,
    private readonly gaps: GapStore,
    private readonly clock: Clock,
    private readonly policy: StalenessPolicy,
    private readonly metrics: KnowledgeMetrics = noMetrics,
  ) {}

  async resolve(category: TicketCategory, clientIdentifier: string | null, sql: Sql = this.db): Promise<RunbookResolution> {
    const docs = isRunbookCategory(category) ? await this.docs.forResolution(sql, clientIdentifier, category) : [];
    return resolveRunbook({
      category, clientIdentifier, now: this.clock.now(), policy: this.policy,
      clientDocs: docs.filter((d) => d.scope === 'client'), globalDocs: docs.filter((d) => d.scope === 'global'),
    });
  }

  /** Resolve for a ticket and record it (inside the caller's transaction when given, so a retry never double counts). */
  async resolveForTicket(ticketId: string, category: TicketCategory, clientIdentifier: string | null, sql: Sql = this.db, notes: string[] = []): Promise<RunbookResolution> {
    const found = await this.resolve(category, clientIdentifier, sql);
    const resolution = notes.length ? { ...found, reasons: [...found.reasons, ...notes] } : found;
    await this.gaps.recordLookup(sql, { ticketId, clientIdentifier, category, resolution });
    this.metrics.lookup(clientIdentifier ?? 'unknown', category, resolution.usable ? 'usable' : resolution.gaps.includes('no_runbook') ? 'no_runbook' : 'unusable');
    return resolution;
  }
}
