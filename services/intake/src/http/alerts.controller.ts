import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdapterRegistry, type ClientConfig } from '@desk/adapters';
import { alertSummary, normaliseDatto, normaliseNinja, stormKey, type NormalisedAlert } from '../domain/alerts';
import { parseJson } from '../domain/psa-webhooks';
import { IntakeRejection } from '../domain/rejection';
import { verifySharedToken } from '../domain/signatures';
import { Deliveries } from '../adapters/deliveries';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { acceptedBody, headerValue, IntakeHttp } from './intake-http';
import { auditHeaders, readRawBody, requireMediaType } from './raw-body';

/**
 * RMM alert webhooks (NinjaOne, Datto RMM). Authenticated by a shared token (X-Desk-Alert-Token or
 * Authorization: Bearer — set in the RMM's webhook headers). The client is `?client=`, or follows from
 * the alert's site / organization, or is left to triage (from the device). A storm (same device + condition within the window) is one ticket.
 */
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly http: IntakeHttp,
    private readonly deliveries: Deliveries,
    private readonly registry: AdapterRegistry,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  @Post('ninjaone')
  async ninja(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('ninjaone', res, () => this.accept(req, 'ninjaone', normaliseNinja));
  }

  @Post('datto')
  async datto(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('datto', res, () => this.accept(req, 'datto', normaliseDatto));
  }

  private async accept(req: Request, vendor: 'ninjaone' | 'datto', normalise: (b: unknown) => NormalisedAlert) {
    const v = verifySharedToken(headerValue(req, 'x-desk-alert-token') ?? headerValue(req, 'authorization'), this.env.INTAKE_ALERT_TOKEN, 'alert token');
    if (!v.ok) throw new IntakeRejection(401, v.reason);
    const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
    requireMediaType(req, ['application/json']);
    const alert = normalise(parseJson(raw));
    const clientIdentifier = this.clientFor(req, vendor, alert)?.identifier ?? null;
    const delivery = { channel: vendor, idempotencyKey: alert.alertId, clientIdentifier, contentType: 'application/json', headers: auditHeaders(req), body: raw.toString('utf8') };
    if (alert.resolved) return acceptedBody(await this.deliveries.ignored(delivery, 'alert reset / resolved by the RMM'));
    const accepted = await this.deliveries.alert(delivery, stormKey(clientIdentifier ?? 'unknown-client', alert), this.env.INTAKE_ALERT_STORM_WINDOW_SECONDS, (count) => ({
      channel: 'alert', psa: null, clientIdentifier, summary: alertSummary(alert),
      description: [alert.message, alert.deviceName ? `Device: ${alert.deviceName}` : null, alert.severity ? `Severity: ${alert.severity}` : null, alert.at ? `Raised: ${alert.at}` : null].filter(Boolean).join('\n'),
      fromEmail: this.env.INTAKE_ALERT_SENDER, fromName: vendor === 'ninjaone' ? 'NinjaOne' : 'Datto RMM', receivedAt: new Date().toISOString(),
      alert: { vendor, deviceName: alert.deviceName, condition: alert.condition, severity: alert.severity, count },
    }));
    return acceptedBody(accepted);
  }

  private clientFor(req: Request, vendor: 'ninjaone' | 'datto', alert: NormalisedAlert): ClientConfig | null {
    const q = typeof req.query['client'] === 'string' ? req.query['client'] : undefined;
    if (q) {
      const c = this.registry.findClient(q);
      if (!c) throw new IntakeRejection(404, `unknown client "${q.slice(0, 60)}"`);
      return c;
    }
    if (alert.scope) {
      const c = this.registry.clients().find((x) => x.rmm.system === vendor
        && ((x.rmm.system === 'ninjaone' && x.rmm.organizationId === alert.scope) || (x.rmm.system === 'datto' && x.rmm.siteUid === alert.scope)));
      if (c) return c;
      throw new IntakeRejection(404, `no client for ${vendor} ${vendor === 'ninjaone' ? 'organization' : 'site'} "${alert.scope.slice(0, 60)}"`);
    }
    // NinjaOne's webhook is one per MSP and names only the device: triage resolves the client from it.
    return null;
  }
}
