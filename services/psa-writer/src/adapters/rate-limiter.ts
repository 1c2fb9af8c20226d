import type { PsaConnection } from '@desk/adapters';
import { TokenBucket } from '../domain/token-bucket';

/** One bucket per PSA tenant (several MSP clients often share one tenant, and share its limit). */
export class PsaRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: Record<string, { ratePerSecond: number; burst: number }>) {}

  static tenantKey(conn: PsaConnection): string {
    switch (conn.system) {
      case 'connectwise': return `connectwise|${conn.baseUrl}|${conn.companyId}`.toLowerCase();
      case 'halopsa': return `halopsa|${conn.baseUrl}|${conn.tenant ?? ''}`.toLowerCase();
      case 'autotask': return `autotask|${conn.baseUrl}|${conn.apiIntegrationCode}`.toLowerCase();
    }
  }

  bucket(conn: PsaConnection): TokenBucket {
    const key = PsaRateLimiter.tenantKey(conn);
    let b = this.buckets.get(key);
    if (!b) {
      const l = this.limits[conn.system] ?? { ratePerSecond: 2, burst: 5 };
      b = new TokenBucket(l.ratePerSecond, l.burst);
      this.buckets.set(key, b);
    }
    return b;
  }
}
