import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ledgerSchema, UnitOfWork } from '@desk/platform';
import { PortalReplyBody, PortalTicketBody } from '../domain/portal';
import { describeIssues, IntakeRejection } from '../domain/rejection';
import { parseJson } from '../domain/psa-webhooks';
import { sha256Hex } from '../domain/signatures';
import { ApiKeys } from '../adapters/api-keys';
import { Deliveries } from '../adapters/deliveries';
import { IntakeStore } from '../adapters/intake-store';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { acceptedBody, headerValue, IntakeHttp } from './intake-http';
import { auditHeaders, readRawBody, requireMediaType } from './raw-body';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Customer-facing names for the lifecycle states (the portal never shows internal stage names). */
const STATUS_TEXT: Record<string, string> = {
  received: 'Received', triaged: 'In review', planned: 'In progress', awaiting_verification: 'Waiting for your verification code',
  awaiting_approval: 'Waiting for approval', proposed: 'In review', executing: 'In progress', verifying: 'In progress',
  resolved: 'Resolved', escalated: 'With a technician', waiting_on_client: 'Waiting for your reply', closed: 'Closed', duplicate: 'Merged with an existing ticket',
};

/** Portal / chat API: create, reply, read status — authenticated by a per-MSP-client API key. */
@Controller('portal/tickets')
export class PortalController {
  constructor(
    private readonly http: IntakeHttp,
    private readonly deliveries: Deliveries,
    private readonly keys: ApiKeys,
    private readonly uow: UnitOfWork,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  private apiKey(req: Request): string | undefined {
    return headerValue(req, 'x-api-key') ?? headerValue(req, 'authorization');
  }

  @Post()
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('portal', res, async () => {
      const client = await this.keys.clientFor(this.apiKey(req));
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      requireMediaType(req, ['application/json']);
      const r = PortalTicketBody.safeParse(parseJson(raw));
      if (!r.success) throw new IntakeRejection(422, describeIssues(r.error.issues));
      const b = r.data;
      const accepted = await this.deliveries.newTicket(this.delivery(req, client, raw), {
        channel: b.channel, psa: null, clientIdentifier: client, summary: b.summary, description: b.description,
        fromEmail: b.fromEmail.toLowerCase(), fromName: b.fromName ?? null, contactId: b.contactId ?? null, receivedAt: new Date().toISOString(),
      });
      return acceptedBody(accepted);
    });
  }

  @Post(':id/replies')
  async reply(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('portal', res, async () => {
      const client = await this.keys.clientFor(this.apiKey(req));
      const link = await this.ownTicket(id, client);
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      requireMediaType(req, ['application/json']);
      const r = PortalReplyBody.safeParse(parseJson(raw));
      if (!r.success) throw new IntakeRejection(422, describeIssues(r.error.issues));
      const accepted = await this.deliveries.reply(this.delivery(req, client, raw, id), link.ticketId, client, {
        psa: link.psaSystem && link.psaTicketId ? { system: link.psaSystem as 'connectwise' | 'halopsa' | 'autotask', id: link.psaTicketId, number: link.psaNumber } : null,
        channel: link.channel === 'chat' ? 'chat' : 'portal', kind: 'message', fromEmail: r.data.fromEmail.toLowerCase(), body: r.data.body, receivedAt: new Date().toISOString(),
      });
      return acceptedBody(accepted);
    });
  }

  @Get(':id')
  async status(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('portal', res, async () => {
      const client = await this.keys.clientFor(this.apiKey(req));
      const link = await this.ownTicket(id, client);
      const table = `"${ledgerSchema(this.env)}"."ticket_state"`;
      const rows: Array<{ state: string; updated_at: Date }> = await this.uow.run((ctx) => ctx.tx.query(`SELECT state, updated_at FROM ${table} WHERE ticket_id = $1`, [id]));
      const state = rows[0]?.state ?? 'received';
      return { status: 200, body: { ticketId: link.ticketId, state, status: STATUS_TEXT[state] ?? state, updatedAt: rows[0]?.updated_at ?? null, psaTicketNumber: link.psaNumber ?? link.psaTicketId ?? null } };
    });
  }

  private delivery(req: Request, client: string, raw: Buffer, scope = '') {
    // Idempotency-Key when the caller sends one; otherwise the same body from the same client is the same delivery.
    const key = headerValue(req, 'idempotency-key')?.trim();
    if (key !== undefined && (key.length === 0 || key.length > 200)) throw new IntakeRejection(400, 'Idempotency-Key must be 1-200 characters');
    return { channel: 'portal', idempotencyKey: `${client}:${scope}:${key ?? `sha256:${sha256Hex(raw)}`}`, clientIdentifier: client, contentType: 'application/json', headers: auditHeaders(req), body: raw.toString('utf8') };
  }

  /** 404 for a ticket of another client, exactly as for one that does not exist (no probing across clients). */
  private async ownTicket(id: string, client: string) {
    if (!UUID.test(id)) throw new IntakeRejection(404, 'no such ticket');
    const link = await this.uow.run((ctx) => IntakeStore.linkByTicket(ctx.tx, id));
    if (!link || (link.clientIdentifier ?? '').toLowerCase() !== client.toLowerCase()) throw new IntakeRejection(404, 'no such ticket');
    return link;
  }
}
