import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PlatformCore } from '../core';
import { DeskMetrics } from '../metrics/metrics';
import { TransportRef } from '../transport/transport-ref';

/** `/healthz`: the process answers. `/readyz`: NATS and PostgreSQL reachable and every consumer bound. */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly core: PlatformCore,
    private readonly transport: TransportRef,
    private readonly metrics: DeskMetrics,
  ) {}

  @Get('healthz')
  @HealthCheck()
  live() {
    return this.health.check([async () => this.indicator.check('process').up({ service: this.core.name })]);
  }

  @Get('readyz')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.nats(),
      () => this.postgres(),
      async () => {
        const t = this.transport.transport;
        const s = this.indicator.check('consumers');
        return t?.consumersBound() ? s.up({ subjects: t.subjects }) : s.down({ message: t ? 'not bound' : 'transport not started' });
      },
    ]);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.text();
  }

  private async nats(): Promise<HealthIndicatorResult> {
    const s = this.indicator.check('nats');
    if (!this.core.nats.healthy()) return s.down({ message: 'not connected' });
    try {
      return s.up({ rtt_ms: await withTimeout(this.core.nats.rtt(), 2000) });
    } catch (e) {
      return s.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async postgres(): Promise<HealthIndicatorResult> {
    const s = this.indicator.check('postgres');
    try {
      await withTimeout(this.core.ds.query('SELECT 1'), 2000);
      return s.up();
    } catch (e) {
      return s.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}
