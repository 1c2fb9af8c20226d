import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import { DeskLogger } from '@desk/platform';
import { sameMember } from '../domain/psa-follow-up';
import { parseAutotaskWebhook, parseConnectWiseCallback, parseHaloWebhook, type PsaCallback } from '../domain/psa-webhooks';
import { checkReplayWindow } from '../domain/signatures';
import { IntakeRejection } from '../domain/rejection';
import { Deliveries } from '../adapters/deliveries';
import { PsaWebhookAuth } from '../adapters/psa-webhook-auth';
import { PsaFetchWorker } from '../workers/psa-fetch.worker';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { acceptedBody, headerValue, IntakeHttp } from './intake-http';
import { auditHeaders, readRawBody, requireMediaType } from './raw-body';

/**
 * PSA callbacks. Each is authenticated the vendor's way, stored with a fetch job and acknowledged; the
 * ticket itself is fetched from the PSA afterwards by the fetch worker, so the 2xx stays fast.
 */
@Controller('webhooks')
export class PsaWebhooksController {
  constructor(
    private readonly http: IntakeHttp,
    private readonly deliveries: Deliveries,
    private readonly auth: PsaWebhookAuth,
    private readonly worker: PsaFetchWorker,
    private readonly log: DeskLogger,
    private readonly registry: AdapterRegistry,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  @Post('connectwise')
  async connectwise(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('connectwise', res, async () => {
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      requireMediaType(req, ['application/json']);
      const { body, callback } = parseConnectWiseCallback(raw);
      const client = await this.auth.connectWise(raw, body, headerValue(req, 'x-content-signature'));
      return this.store(req, raw, callback, client.identifier);
    });
  }

  @Post('halopsa')
  async halopsa(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('halopsa', res, async () => {
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      const client = this.auth.halo(headerValue(req, 'authorization'));
      requireMediaType(req, ['application/json']);
      return this.store(req, raw, parseHaloWebhook(raw), client.identifier);
    });
  }

  @Post('autotask')
  async autotask(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('autotask', res, async () => {
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      const client = this.auth.autotask(raw, headerValue(req, 'x-hook-signature'), null);
      requireMediaType(req, ['application/json']);
      const callback = parseAutotaskWebhook(raw);
      const w = checkReplayWindow(callback.eventTime, new Date(), this.env.INTAKE_REPLAY_WINDOW_SECONDS);
      if (!w.ok) throw new IntakeRejection(401, w.reason);
      return this.store(req, raw, callback, client.identifier);
    });
  }

  /** Autotask calls the DeactivationUrl when it switched the webhook off (too many failed deliveries): kept for audit. */
  @Post('autotask/deactivated')
  async autotaskDeactivated(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('autotask', res, async () => {
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      this.auth.autotask(raw, headerValue(req, 'x-hook-signature'), null);
      requireMediaType(req, ['application/json']);
      const key = `deactivated:${createHash('sha256').update(raw).digest('hex')}`;
      this.log.pino.error({ body: raw.toString('utf8').slice(0, 500) }, 'Autotask deactivated the ticket webhook: register it again (scripts/register-psa-webhooks.mjs)');
      return acceptedBody(await this.deliveries.ignored({ channel: 'autotask', idempotencyKey: key, clientIdentifier: null, contentType: 'application/json', headers: auditHeaders(req), body: raw.toString('utf8') }, 'webhook deactivated by Autotask'));
    });
  }

  private async store(req: Request, raw: Buffer, cb: PsaCallback, connectionClient: string): Promise<{ status: number; body: unknown }> {
    const delayMs = cb.action === 'updated' && sameMember(cb.actor, this.registry.config.msp.agentMemberIdentifier) ? this.env.INTAKE_OWN_UPDATE_SETTLE_MS : 0;
    const accepted = await this.deliveries.psaCallback(
      { channel: cb.system, idempotencyKey: cb.deliveryId, clientIdentifier: null, contentType: 'application/json', headers: auditHeaders(req), body: raw.toString('utf8') },
      { system: cb.system, connectionClient, psaTicketId: cb.psaTicketId, action: cb.action, actor: cb.actor, ticketNumber: cb.ticketNumber },
      delayMs,
    );
    // Fetched at once, the desk's own updates when their settle is over (the poll covers a restart in
    // between); the worker holds an "added" callback back only while the desk may be creating that ticket.
    if (accepted.outcome === 'pending_fetch') {
      if (delayMs > 0) setTimeout(() => this.worker.kick(), delayMs + 20).unref();
      else this.worker.kick();
    }
    return acceptedBody(accepted);
  }
}
