import { createHash } from 'node:crypto';
import { VendorAuthError, VendorNotFoundError, VendorRequestError, type AdapterRegistry, type ClientConfig, type PsaClient } from '@desk/adapters';
import type { PsaTicketRef, TicketEscalatedV1 } from '@desk/contracts';
import type { CoverageInput, WriteOp } from '../domain/write-plan';
import { timeBilling, type CoverageDecision, type WorkTypes } from '../agreements/coverage';
import { outOfScopeEscalation } from '../agreements/out-of-scope';
import { existingChild } from '../domain/child-ticket';
import type { TicketMapRow, WriteRow } from './write-store';
import { PsaRateLimiter } from './rate-limiter';

/** A write that cannot run yet (its PSA ticket does not exist yet): retried later, not counted as a failure. */
export class NotReadyError extends Error {}

export interface WriteResult {
  /** Set by create_ticket. */
  created?: PsaTicketRef & { clientIdentifier: string };
  /**
   * Set by create_child (also when found already there): recorded as a ticket the desk opened, so the PSA's
   * "added" callback for it is not taken for a new request.
   */
  child?: PsaTicketRef & { clientIdentifier: string };
  detail: string;
  /** The write was found already applied in the PSA (after a crash between the write and its bookkeeping). */
  alreadyThere?: boolean;
  /** Set by coverage_check when the request is outside the client's agreements: published with the write's bookkeeping. */
  escalation?: TicketEscalatedV1;
}

export interface RunOptions {
  agent: string;
  /** The work types of covered and billable time (configurable). */
  workTypes: WorkTypes;
  notifier: (subject: string, body: string) => Promise<string>;
  /** Posts to the desk's chat channels (Teams / Slack). */
  chat: (subject: string, body: string) => Promise<string>;
  /** The client's agreements decide how the work is logged (reads the PSA; cached). */
  coverage: (clientIdentifier: string, input: CoverageInput) => Promise<CoverageDecision>;
}

/** A short reference in internal notes so a re-run after a crash can tell the note is already there. */
export function noteMarker(key: string): string {
  return `[desk ref ${createHash('sha256').update(key).digest('hex').slice(0, 12)}]`;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Executes one queued write through the client's PsaClient (chosen by the registry), within the tenant's rate. */
export class PsaWriteExecutor {
  constructor(private readonly registry: AdapterRegistry, private readonly limiter: PsaRateLimiter) {}

  clientFor(row: WriteRow): ClientConfig {
    if (row.clientIdentifier) {
      const c = this.registry.findClient(row.clientIdentifier);
      if (c) return c;
    }
    const bySystem = row.psaSystem ? this.registry.clients().find((c) => c.psa.system === row.psaSystem) : undefined;
    if (bySystem) return bySystem;
    throw new Error(`no PSA connection for client ${row.clientIdentifier ?? '(unknown)'}`);
  }

  /** Waits for a token of the client's PSA tenant, then returns its client. */
  private async psa(client: ClientConfig): Promise<PsaClient> {
    await this.limiter.bucket(client.psa).take();
    return this.registry.psa(client.identifier);
  }

  pause(row: WriteRow, ms: number): void {
    this.limiter.bucket(this.clientFor(row).psa).pause(ms);
  }

  async run(row: WriteRow, map: TicketMapRow | null, opts: RunOptions): Promise<WriteResult> {
    const op: WriteOp = row.op;
    if (op.kind === 'page') return { detail: await opts.notifier(op.subject, op.body) };
    if (op.kind === 'chat') return { detail: await opts.chat(op.subject, op.body) };
    const client = this.clientFor(row);
    if (op.kind === 'create_ticket') return this.create(row, client, op);
    if (op.kind === 'coverage_check') {
      await this.limiter.bucket(client.psa).take();
      const d = await this.coverage(opts, client, op.coverage);
      if (!d) return { detail: 'the PSA refused to list the agreements: scope not checked' };
      if (d.kind !== 'out_of_scope') return { detail: `${d.kind}: ${d.reason}` };
      return { detail: `out of scope: ${d.reason}`, escalation: outOfScopeEscalation(op.ticket, op.coverage.category, op.priorityLevel, d) };
    }
    if (!map) throw new NotReadyError('the PSA ticket does not exist yet');
    const id = map.psaTicketId;
    // A retry may follow a crash after the PSA accepted the write: look before writing again.
    const retry = row.attempts > 1;
    switch (op.kind) {
      case 'note': {
        const text = op.internal ? `${op.text}\n\n${noteMarker(row.idempotencyKey)}` : op.text;
        if (retry) {
          const notes = await (await this.psa(client)).listNotes(id);
          const marker = noteMarker(row.idempotencyKey);
          if (notes.some((n) => (op.internal ? n.text.includes(marker) : norm(n.text) === norm(op.text)))) return { detail: 'note already present', alreadyThere: true };
        }
        const note = await (await this.psa(client)).addNote(id, { text, internal: op.internal, resolution: op.resolution });
        return { detail: `note ${note.id}` };
      }
      case 'status':
        await (await this.psa(client)).setStatus(id, op.status);
        return { detail: `status ${op.status}` };
      case 'route':
        await (await this.psa(client)).route(id, { board: op.board, ...(op.priority ? { priority: op.priority } : {}) });
        return { detail: `board ${op.board}` };
      case 'create_child': {
        const psa = await this.psa(client);
        const ref = (t: { id: string; number: string | null }) => ({ system: psa.system, id: t.id, number: t.number, clientIdentifier: client.identifier });
        if (retry) {
          const found = await psa.findTickets({ companyIdentifier: client.identifier, summaryContains: op.summary.slice(0, 60), limit: 25 });
          const same = existingChild(found, op.summary, id, typeof psa.attachChildTicket === 'function');
          if (same?.attach) {
            await (await this.psa(client)).attachChildTicket!(id, same.ticket.id);
            return { detail: `child ticket ${same.ticket.id} already created, now attached under ${id}`, alreadyThere: true, child: ref(same.ticket) };
          }
          if (same) return { detail: `child ticket ${same.ticket.id} already created`, alreadyThere: true, child: ref(same.ticket) };
        }
        const child = await psa.createChildTicket(id, {
          companyIdentifier: client.identifier, summary: op.summary, description: op.description, contactEmail: op.contactEmail, ...(op.board ? { board: op.board } : {}),
        });
        return { detail: `child ticket ${child.id} under ${id}`, child: ref(child) };
      }
      case 'time_entry': {
        const end = new Date(op.endAt);
        // The real handling time (a zero-length entry is refused by the PSAs, hence at least a second).
        const seconds = Math.max(1, Math.round(op.seconds));
        const start = new Date(end.getTime() - seconds * 1000);
        const hours = Math.round((seconds / 3600) * 10000) / 10000;
        // Queued before agreement coverage was decided here: logged as the desk's own (covered) work type.
        const decision = op.coverage ? await this.coverage(opts, client, op.coverage) : null;
        const billing = decision
          ? timeBilling(decision, opts.workTypes)
          : { agreementId: null, billable: false, workType: opts.workTypes.covered, note: op.coverage ? 'agreements unreadable: not billed' : 'not billed' };
        const entry = await (await this.psa(client)).addTimeEntry(id, {
          memberIdentifier: opts.agent, start: start.toISOString(), end: end.toISOString(), hours, workType: billing.workType, billable: billing.billable,
          agreementId: billing.agreementId, notes: `${op.notes}; handling time ${Math.round(op.seconds)} s; ${billing.note}`,
        });
        return { detail: `time entry ${entry.id} (${billing.billable ? 'billable' : billing.agreementId ? `agreement ${billing.agreementId}` : 'not billed'})` };
      }
    }
  }

  /**
   * The coverage decision, or null when the PSA refuses to list the agreements for good (no permission, no
   * such endpoint): the time entry is then logged as the desk's own unbilled work rather than lost, and no
   * client is billed without evidence. An outage or a rate limit still retries the write.
   */
  private async coverage(opts: RunOptions, client: ClientConfig, input: CoverageInput): Promise<CoverageDecision | null> {
    try {
      return await opts.coverage(client.identifier, input);
    } catch (e) {
      if (e instanceof VendorAuthError || e instanceof VendorNotFoundError || e instanceof VendorRequestError) return null;
      throw e;
    }
  }

  private async create(row: WriteRow, client: ClientConfig, op: Extract<WriteOp, { kind: 'create_ticket' }>): Promise<WriteResult> {
    const psa = await this.psa(client);
    if (row.attempts > 1) {
      const found = await psa.findTickets({ companyIdentifier: client.identifier, summaryContains: op.summary.slice(0, 60), limit: 25 });
      const same = found.find((t) => norm(t.summary) === norm(op.summary) && norm(t.description).startsWith(norm(op.description).slice(0, 200)));
      if (same) return { created: { system: psa.system, id: same.id, number: same.number, clientIdentifier: client.identifier }, detail: `ticket ${same.id} already created`, alreadyThere: true };
    }
    const t = await psa.createTicket({ companyIdentifier: client.identifier, summary: op.summary, description: op.description, contactEmail: op.contactEmail, board: op.board });
    return { created: { system: psa.system, id: t.id, number: t.number, clientIdentifier: client.identifier }, detail: `ticket ${t.id}` };
  }
}
