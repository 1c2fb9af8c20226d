import { Clock } from '../domain/clock';
import { staleness, StalenessPolicy } from '../domain/staleness';
import { Db } from '../persistence/db';
import { DocumentStore } from '../persistence/document-store';
import { GapStore } from '../persistence/gap-store';
import { GapRow, KnowledgeMetrics, noMetrics } from './ports';

export const GLOBAL_CLIENT_LABEL = '_global';

/**
 * "The agent surfaces every gap in your runbooks": per client × category, the tickets that found no usable
 * runbook, the stale and malformed runbooks, and runbooks whose action then failed verification.
 */
export class GapService {
  constructor(
    private readonly db: Db,
    private readonly docs: DocumentStore,
    private readonly tickets: GapStore,
    private readonly clock: Clock,
    private readonly policy: StalenessPolicy,
    private readonly metrics: KnowledgeMetrics = noMetrics,
  ) {}

  async report(clientIdentifier?: string): Promise<GapRow[]> {
    const rows: GapRow[] = [];
    const now = this.clock.now();
    const docs = await this.docs.allHeaders(this.db, clientIdentifier);
    const docGaps = new Map<string, GapRow>();
    const add = (client: string, category: string, kind: GapRow['kind'], item: string) => {
      const key = `${client}\u0000${category}\u0000${kind}`;
      const row = docGaps.get(key) ?? { client, category, kind, count: 0, items: [] };
      row.count++;
      if (row.items.length < 20) row.items.push(item);
      docGaps.set(key, row);
    };
    for (const d of docs) {
      const client = d.clientIdentifier ?? GLOBAL_CLIENT_LABEL;
      const category = d.category ?? 'uncategorised';
      if (d.headerStatus === 'malformed') add(client, category, 'malformed_header', d.docId);
      if (staleness(d.updated, now, this.policy).stale) add(client, category, 'stale', d.docId);
    }
    rows.push(...docGaps.values());
    for (const t of await this.tickets.ticketGaps(this.db, clientIdentifier)) {
      rows.push({ client: t.client ?? 'unknown', category: t.category, kind: t.kind, count: t.n, items: t.items });
    }
    return rows.sort((a, b) => a.client.localeCompare(b.client) || a.category.localeCompare(b.category) || a.kind.localeCompare(b.kind));
  }

  private pending: NodeJS.Timeout | null = null;

  /** Recomputes the gauge a little later (lookups come in bursts; one recount covers them all). */
  refreshSoon(delayMs = 5_000): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.refreshMetrics().catch(() => undefined);
    }, delayMs);
    this.pending.unref();
  }

  /** Recomputes the desk_knowledge_gaps gauge over every client. */
  async refreshMetrics(): Promise<GapRow[]> {
    const rows = await this.report();
    this.metrics.gaps(rows);
    return rows;
  }
}
