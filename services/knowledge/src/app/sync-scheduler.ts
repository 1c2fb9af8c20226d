import { KnowledgeApp } from './knowledge-app';
import { Log } from './ports';

/**
 * Runs a full sync at start and incremental syncs on an interval, one at a time; a failing scope keeps its
 * last good index and is retried on the next tick. Gap metrics are refreshed after every round.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly app: KnowledgeApp, private readonly intervalMs: number, private readonly log: Log) {}

  start(fullFirst: boolean): void {
    if (fullFirst) this.kick('full');
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => this.kick('incremental'), this.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round?.catch(() => undefined);
  }

  private kick(mode: 'full' | 'incremental'): void {
    if (this.round || this.stopped) return;
    this.round = (async () => {
      try {
        await this.app.sync.syncAll(mode);
        await this.app.gaps.refreshMetrics();
      } catch (err) {
        this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'knowledge: scheduled sync round failed');
      } finally {
        this.round = null;
      }
    })();
  }
}
