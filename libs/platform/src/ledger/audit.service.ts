import { DataSource, EntityManager } from 'typeorm';
import { qualified } from '../database/sql';
import { currentTraceId } from '../tracing/tracing';
import { ChainBreak, GENESIS_HASH, StoredEntry, entryHash, verifyChain } from './hash-chain';

/** What a service records about a decision it took (the ticket comes from the context). */
export interface AuditInput {
  actor: string;
  action: string;
  decision?: string | null;
  /** Reasons, human-readable. */
  why?: string | string[] | Record<string, unknown>;
  /** What the decision was based on (no secrets: temporary passwords and codes never go here). */
  evidence?: Record<string, unknown>;
}

export interface AuditRecord extends StoredEntry {
  traceId: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: ChainBreak | null;
}

interface Row {
  id: string; ticket_id: string; seq: number; at: Date; service: string; actor: string; action: string;
  decision: string | null; why: unknown; evidence: unknown; trace_id: string | null; prev_hash: string; hash: string;
}

const COLUMNS = 'id, ticket_id, seq, at, service, actor, action, decision, why, evidence, trace_id, prev_hash, hash';

function toRecord(r: Row): AuditRecord {
  return {
    id: String(r.id), ticketId: r.ticket_id, seq: r.seq, at: new Date(r.at).toISOString(), service: r.service, actor: r.actor,
    action: r.action, decision: r.decision, why: r.why, evidence: r.evidence, traceId: r.trace_id, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** The append-only audit log: one hash chain per ticket in `desk_ledger.audit_entry`. */
export class AuditService {
  private readonly table: string;

  constructor(private readonly ds: DataSource, schema: string, private readonly service: string) {
    this.table = qualified(schema, 'audit_entry');
  }

  /** Appends in `tx`; a per-ticket transaction lock keeps concurrent writers from forking the chain. */
  async append(tx: EntityManager, ticketId: string, input: AuditInput): Promise<AuditRecord> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7231))', [ticketId]);
    const last = (await tx.query(`SELECT seq, hash FROM ${this.table} WHERE ticket_id = $1 ORDER BY seq DESC LIMIT 1`, [ticketId])) as Array<{ seq: number; hash: string }>;
    const prevHash = last[0]?.hash ?? GENESIS_HASH;
    const content = {
      ticketId,
      seq: (last[0]?.seq ?? 0) + 1,
      at: new Date().toISOString(),
      service: this.service,
      actor: input.actor,
      action: input.action,
      decision: input.decision ?? null,
      // Round-trip through JSON so the hashed value is exactly what jsonb will give back.
      why: JSON.parse(JSON.stringify(input.why ?? [])) as unknown,
      evidence: JSON.parse(JSON.stringify(input.evidence ?? {})) as unknown,
    };
    const hash = entryHash(prevHash, content);
    const traceId = currentTraceId();
    const rows = (await tx.query(
      `INSERT INTO ${this.table} (ticket_id, seq, at, service, actor, action, decision, why, evidence, trace_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [ticketId, content.seq, content.at, content.service, content.actor, content.action, content.decision,
        JSON.stringify(content.why), JSON.stringify(content.evidence), traceId, prevHash, hash],
    )) as Array<{ id: string }>;
    return { ...content, id: String(rows[0]!.id), traceId, prevHash, hash };
  }

  async history(ticketId: string): Promise<AuditRecord[]> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE ticket_id = $1 ORDER BY seq`, [ticketId])) as Row[];
    return rows.map(toRecord);
  }

  /** Recomputes every chain (or one ticket's) and reports the first broken row. */
  async verify(ticketId?: string): Promise<VerifyResult> {
    let checked = 0;
    for await (const chain of this.chains(ticketId)) {
      checked += chain.length;
      const broken = verifyChain(chain);
      if (broken) return { ok: false, checked, firstBroken: broken };
    }
    return { ok: true, checked, firstBroken: null };
  }

  /** Every entry as JSON lines (one object a line), ticket by ticket, for export to an archive or SIEM. */
  async *exportJsonLines(ticketId?: string): AsyncGenerator<string> {
    for await (const chain of this.chains(ticketId)) {
      for (const e of chain) yield `${JSON.stringify(e)}\n`;
    }
  }

  // Whole chains, read in keyset-paged batches so a large log never sits in memory at once.
  private async *chains(ticketId?: string): AsyncGenerator<AuditRecord[]> {
    const batch = 2000;
    let after: { ticket: string; seq: number } = { ticket: '00000000-0000-0000-0000-000000000000', seq: 0 };
    let current: AuditRecord[] = [];
    for (;;) {
      const rows = (await this.ds.query(
        `SELECT ${COLUMNS} FROM ${this.table}
          WHERE (ticket_id, seq) > ($1::uuid, $2::int) ${ticketId ? 'AND ticket_id = $4' : ''}
          ORDER BY ticket_id, seq LIMIT $3`,
        ticketId ? [after.ticket, after.seq, batch, ticketId] : [after.ticket, after.seq, batch],
      )) as Row[];
      for (const r of rows.map(toRecord)) {
        if (current.length > 0 && current[0]!.ticketId !== r.ticketId) {
          yield current;
          current = [];
        }
        current.push(r);
      }
      if (rows.length < batch) break;
      const last = rows[rows.length - 1]!;
      after = { ticket: last.ticket_id, seq: last.seq };
    }
    if (current.length > 0) yield current;
  }
}
