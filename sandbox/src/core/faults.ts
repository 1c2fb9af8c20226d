import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { FaultRule, Faults } from './context';

interface ActiveRule extends FaultRule {
  id: number;
}

/** Waits `ms`, or less if the client goes away first; never keeps the process alive on its own. */
const wait = (ms: number, res: Response) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    res.on('close', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Faults injected on demand per vendor (admin API). In memory: they belong to the running process and a
 * reset clears them. A rule with `count` applies to that many matching requests, then lapses; with
 * `until`, until that instant; with neither, until cleared.
 */
export class InMemoryFaults implements Faults {
  private rules: ActiveRule[] = [];
  private seq = 0;
  /** Requests held by `timeout` rules, released on shutdown so the server can close. */
  private readonly hung = new Set<Response>();

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, id: ++this.seq });
  }

  clear(vendor?: string): void {
    this.rules = vendor ? this.rules.filter((r) => r.vendor !== vendor) : [];
  }

  list(): FaultRule[] {
    this.expire();
    return this.rules.map(({ id: _id, ...r }) => r);
  }

  releaseHung(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  private expire(): void {
    const now = Date.now();
    this.rules = this.rules.filter((r) => (r.until == null || r.until > now) && (r.count == null || r.count > 0));
  }

  /** The rules that apply to this request, consuming one use of each counted rule. */
  private take(vendor: string, method: string, path: string): ActiveRule[] {
    this.expire();
    const matching = this.rules.filter((r) => r.vendor === vendor && (!r.pathContains || path.includes(r.pathContains)) && (!r.method || r.method.toUpperCase() === method.toUpperCase()));
    // A rule still skipping lets this request through and counts it.
    const hit = matching.filter((r) => {
      if (!r.skip || r.skip <= 0) return true;
      r.skip -= 1;
      return false;
    });
    for (const r of hit) if (r.count != null) r.count -= 1;
    return hit;
  }

  middleware(vendor: string): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const hit = this.take(vendor, req.method, req.originalUrl);
      if (!hit.length) return next();
      void (async () => {
        const latency = hit.filter((r) => r.kind === 'latency').reduce((a, r) => a + (r.value ?? 1000), 0);
        if (latency) await wait(latency, res);
        const timeout = hit.find((r) => r.kind === 'timeout');
        if (timeout) {
          // Hang past any sane client timeout, then drop the connection without a response.
          this.hung.add(res);
          await wait(timeout.value ?? 60_000, res);
          this.hung.delete(res);
          res.socket?.destroy();
          return;
        }
        if (res.writableEnded || res.socket?.destroyed) return;
        const rate = hit.find((r) => r.kind === 'rate_limit');
        if (rate) {
          const secs = rate.value ?? 1;
          res.status(429).set('Retry-After', String(secs)).json({ message: `Rate limit exceeded. Retry after ${secs} seconds.` });
          return;
        }
        const err = hit.find((r) => r.kind === 'server_error');
        if (err) {
          const status = err.value ?? 503;
          res.status(status).json({ message: status === 503 ? 'Service Unavailable' : 'Internal Server Error' });
          return;
        }
        next();
      })();
    };
  }
}
