import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PlatformEnv, ledgerSchema, serviceSchema } from './config/config';
import { DatabaseOptions, createDataSource, migrateDataSource } from './database/data-source';
import { qualified } from './database/sql';
import { AuditService } from './ledger/audit.service';
import { LifecycleLedger } from './ledger/lifecycle-ledger';
import { createPinoLogger, DeskLogger } from './logging/logger';
import { ScopeDeps } from './messaging/context';
import { NatsConnectionService } from './messaging/nats-connection.service';
import { Outbox } from './messaging/outbox';
import { UnitOfWork } from './messaging/unit-of-work';
import { DeskMetrics } from './metrics/metrics';
import { Poller } from './scheduling/poller';

/**
 * Everything one service instance shares: its connections and the platform objects built on them.
 * Created once per Nest app by PlatformModule; the transport strategy and bootstrap read it from there.
 */
export class PlatformCore {
  readonly schema: string;
  readonly deps: ScopeDeps;
  readonly uow: UnitOfWork;
  private closed = false;

  private constructor(
    readonly name: string,
    readonly env: PlatformEnv,
    readonly ds: DataSource,
    readonly nats: NatsConnectionService,
    readonly metrics: DeskMetrics,
    readonly logger: DeskLogger,
    readonly outbox: Outbox,
    readonly ledger: LifecycleLedger,
    readonly audit: AuditService,
  ) {
    this.schema = serviceSchema(env, name);
    this.deps = { outbox, ledger, audit };
    this.uow = new UnitOfWork(ds, this.deps, logger.pino);
  }

  get log(): Logger {
    return this.logger.pino;
  }

  static async create(name: string, env: PlatformEnv, db: DatabaseOptions, logger?: DeskLogger): Promise<PlatformCore> {
    const log = logger ?? new DeskLogger(createPinoLogger(name, env.LOG_LEVEL));
    const metrics = new DeskMetrics(name);
    const ds = createDataSource(env, name, db);
    await ds.initialize();
    let nats: NatsConnectionService;
    try {
      const applied = await migrateDataSource(ds, env, name);
      if (applied.length > 0) log.pino.info({ migrations: applied }, 'migrations applied');
      nats = await NatsConnectionService.connect(env, name);
    } catch (e) {
      await ds.destroy().catch(() => undefined);
      throw e;
    }
    const schema = serviceSchema(env, name);
    const outbox = new Outbox(ds, schema, nats, metrics, log.pino);
    const ledger = new LifecycleLedger(ds, ledgerSchema(env), name);
    const audit = new AuditService(ds, ledgerSchema(env), name);
    const core = new PlatformCore(name, env, ds, nats, metrics, log, outbox, ledger, audit);
    outbox.startRelay(env.DESK_OUTBOX_POLL_MS);
    core.startHousekeeping();
    return core;
  }

  private housekeeping: Poller | null = null;

  /**
   * processed_event keys are only needed while a redelivery is possible: the stream keeps events 7 days,
   * so keys older than 8 days are dropped (hourly, in small batches so it never blocks handlers).
   */
  private startHousekeeping(): void {
    const table = qualified(this.schema, 'processed_event');
    this.housekeeping = new Poller('processed_event pruning', 3600_000,
      () => this.ds.query(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE processed_at < now() - interval '8 days' LIMIT 10000)`), this.log);
    this.housekeeping.start();
  }

  /** Stops the relay and closes NATS and the pool (after the transport has drained its consumers). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.housekeeping?.stop();
    await this.outbox.stop();
    await this.nats.close();
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
