/** Per-recipient limit: `capacity` messages at once, refilled continuously at `refillPerMinute`. */
export interface RecipientRateLimit {
  capacity: number;
  refillPerMinute: number;
}

/** Five messages in a burst, then one every three minutes: enough for a code and a retry, not for a flood. */
export const DEFAULT_RECIPIENT_RATE_LIMIT: RecipientRateLimit = { capacity: 5, refillPerMinute: 1 / 3 };

/** In-memory token buckets keyed by recipient (per process; the desk runs one executor per queue group). */
export class RecipientRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RecipientRateLimit = DEFAULT_RECIPIENT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  tryTake(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: t };
    b.tokens = Math.min(this.limit.capacity, b.tokens + ((t - b.at) / 60_000) * this.limit.refillPerMinute);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }

  /** Milliseconds until `key` may receive again (0 = now). */
  retryAfterMs(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    const t = this.now();
    const tokens = Math.min(this.limit.capacity, b.tokens + ((t - b.at) / 60_000) * this.limit.refillPerMinute);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.limit.refillPerMinute) * 60_000);
  }
}
