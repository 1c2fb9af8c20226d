/** What an end-to-end test's wait reports when it runs out of time. */
export interface UntilOptions {
  timeoutMs: number;
  /** How often the probe is asked again. */
  intervalMs?: number;
  /** The tail of the processes' logs worth reading when the wait fails (called only then). */
  logsOnTimeout?: () => string;
}

/**
 * Asks `probe` until it yields a value (anything truthy) or the time runs out. A probe that throws counts
 * as "not yet" — the desk is asynchronous, a query may race a migration or a restart — and its last error
 * is part of the timeout message, with the logs the caller chose, so a failed run says why without a rerun.
 */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, opts: UntilOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${opts.logsOnTimeout?.() ?? ''}`);
}
