/**
 * A token bucket per PSA tenant: `ratePerSecond` sustained, `burst` at once. `take()` resolves when a
 * token is available, so callers queue instead of tripping the vendor's limit. The clock is injectable.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private blockedUntil = 0;

  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  /** Milliseconds until a token is free (0 = now); takes it when free. */
  tryTake(): number {
    this.refill();
    const t = this.now();
    if (t < this.blockedUntil) return this.blockedUntil - t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  async take(sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
    for (;;) {
      const wait = this.tryTake();
      if (wait === 0) return;
      await sleep(wait);
    }
  }

  /** The vendor said 429 / Retry-After: empty the bucket and hold every caller until then. */
  pause(ms: number): void {
    this.tokens = 0;
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }
}

/**
 * Published / documented API limits, as sustained rate and burst. Autotask: 10,000 requests per hour per
 * database; HaloPSA: 700 requests per 5 minutes per tenant (hosted); ConnectWise cloud throttles
 * per member around 1,000 per minute — the desk stays well below each (one write may be a few calls).
 */
export const DEFAULT_RATE_LIMITS: Record<string, { ratePerSecond: number; burst: number }> = {
  connectwise: { ratePerSecond: 10, burst: 20 },
  halopsa: { ratePerSecond: 2, burst: 10 },
  autotask: { ratePerSecond: 2.5, burst: 10 },
};

/** "connectwise=10/20,autotask=2.5/10" → overrides (rate per second / burst). */
export function parseRateLimits(spec: string): Record<string, { ratePerSecond: number; burst: number }> {
  const out = { ...DEFAULT_RATE_LIMITS };
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)\/(\d+)$/.exec(part);
    if (!m) throw new Error(`PSA_RATE_LIMITS entry "${part}" must be system=rate/burst`);
    out[m[1]!] = { ratePerSecond: Number(m[2]), burst: Number(m[3]) };
  }
  return out;
}

/** Backoff for the next attempt of a write: doubles per attempt from `baseMs`, capped, never below Retry-After. */
export function nextAttemptDelayMs(attempts: number, baseMs: number, maxMs: number, retryAfterMs: number | null = null): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(exp, retryAfterMs ?? 0);
}
