import type { Logger } from 'pino';

/**
 * Runs `pass` every `intervalMs` in the background: never two passes at once in one process, a failed pass
 * is logged and the next one runs as usual, `stop()` waits for the pass in flight. Work that must happen
 * once across replicas claims its rows in the pass (FOR UPDATE SKIP LOCKED, unique keys): the poller only
 * paces it. `intervalMs` 0 = never runs (a replica that leaves the work to others, or a test driving `runOnce`).
 */
export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    // A pass must not keep the process alive on its own (shutdown closes the app, which stops the poller).
    this.timer.unref();
  }

  /** One pass now (skipped when one is already running); resolves when it has finished. */
  runOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) return this.running;
    this.running = this.pass()
      .then(() => undefined, (err: unknown) => this.log.warn({ err, poller: this.name }, `${this.name} pass failed`))
      .finally(() => { this.running = null; });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
