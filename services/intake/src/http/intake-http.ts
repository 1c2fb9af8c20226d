import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import { DeskLogger, DeskMetrics } from '@desk/platform';
import { IntakeRejection } from '../domain/rejection';
import type { Accepted } from '../adapters/deliveries';

export type Channel = 'connectwise' | 'halopsa' | 'autotask' | 'email' | 'portal' | 'ninjaone' | 'datto' | 'sms';

/**
 * The edge every intake route shares: timing of the acknowledgement, the request counter, and turning a
 * rejection into its status with a reason (never a stack trace).
 */
@Injectable()
export class IntakeHttp {
  private readonly requests: Counter<'channel' | 'status'>;
  private readonly ack: Histogram<'channel'>;

  constructor(metrics: DeskMetrics, private readonly log: DeskLogger) {
    this.requests = metrics.counter('desk_intake_requests_total', 'Intake requests by channel and HTTP status', ['channel', 'status']);
    this.ack = metrics.histogram('desk_intake_ack_seconds', 'Time from request to acknowledgement (after the durable write)', ['channel'],
      [0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1]);
  }

  async handle(channel: Channel, res: Response, work: () => Promise<{ status: number; body: unknown }>): Promise<void> {
    const started = process.hrtime.bigint();
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await work());
    } catch (e) {
      if (e instanceof IntakeRejection) {
        status = e.status;
        body = { error: e.reason };
      } else {
        this.log.pino.error({ err: e, channel }, 'intake request failed');
        status = 500;
        body = { error: 'internal error: the delivery was not stored; retry later' };
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.requests.inc({ channel, status: String(status) });
    if (status < 300) this.ack.observe({ channel }, seconds);
    res.status(status).json(body);
  }
}

/** The JSON answer for an accepted delivery (202 while the PSA fetch is pending, 200 for a duplicate). */
export function acceptedBody(a: Accepted): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { outcome: a.outcome, deliveryId: a.deliveryId };
  if (a.ticketId) body['ticketId'] = a.ticketId;
  if ('reason' in a && a.reason) body['reason'] = a.reason;
  if ('count' in a && a.count) body['count'] = a.count;
  const status = a.outcome === 'duplicate' ? 200 : a.outcome === 'received' ? 201 : a.outcome === 'pending_fetch' ? 202 : 200;
  return { status, body };
}

export function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
