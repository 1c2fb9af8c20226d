import type { PsaConnection } from '@desk/adapters';
import { TokenBucket } from '../domain/token-bucket';

/**
 * The process's buckets, by tenant: the write drainer and the SLA watch each hold a limiter, and a
 * tenant's budget is one budget whoever spends it (two limiters with their own buckets would allow twice
 * the vendor's rate).
 */
const PROCESS_BUCKETS = new Map<string, TokenBucket>();

/** One bucket per PSA tenant (several MSP clients often share one tenant, and share its limit). */
export class PsaRateLimiter {
  constructor(
    private readonly limits: Record<string, { ratePerSecond: number; burst: number }>,
    private readonly buckets: Map<string, TokenBucket> = PROCESS_BUCKETS,
  ) {}

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
