/** Per-recipient limit: `capacity` messages at once, refilled continuously at `refillPerMinute`. */
export interface RecipientRateLimit {
  capacity: number;
  refillPerMinute: number;
}

/** Six messages in a burst, then one every two minutes: a code, retries and a password, not a flood. */
export const DEFAULT_RECIPIENT_RATE_LIMIT: RecipientRateLimit = { capacity: 6, refillPerMinute: 0.5 };

/**
 * `DESK_NOTIFY_RECIPIENT_LIMIT`: `"<capacity>,<per minute>"` (e.g. `"10,1"`), or `off` for load tests that
 * message the same people far faster than any real desk would. Unset or malformed = the default.
 */
export function recipientLimitFromEnv(value = process.env.DESK_NOTIFY_RECIPIENT_LIMIT): RecipientRateLimit | null {
  if (!value) return DEFAULT_RECIPIENT_RATE_LIMIT;
  if (value.trim().toLowerCase() === 'off') return null;
  const [capacity, perMinute] = value.split(',').map((x) => Number(x.trim()));
  return capacity >= 1 && perMinute > 0 ? { capacity, refillPerMinute: perMinute } : DEFAULT_RECIPIENT_RATE_LIMIT;
}

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
