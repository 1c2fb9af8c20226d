import { DataSource, EntitySchema, MigrationInterface } from 'typeorm';
import { PlatformEnv, ledgerSchema, serviceSchema } from '../config/config';
import { ensureLedgerSchema } from './ledger-schema';
import { DeskPlatform1732900000000 } from './platform-migration';
import { ident } from './sql';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity type
export type EntityTarget = Function | EntitySchema;
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  entities?: EntityTarget[];
  migrations?: MigrationClass[];
}

/** Serialises schema changes across every process booting at once (six services, several replicas). */
const BOOT_LOCK_KEY = 7_231_900;

export function createDataSource(env: PlatformEnv, service: string, opts: DatabaseOptions = {}): DataSource {
  const schema = serviceSchema(env, service);
  return new DataSource({
    type: 'postgres',
    url: env.DATABASE_URL,
    schema,
    entities: opts.entities ?? [],
    migrations: [DeskPlatform1732900000000, ...(opts.migrations ?? [])],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // search_path lets a service's migrations write `CREATE TABLE policy` and land in its own schema.
    extra: { max: env.DB_POOL_SIZE, options: `-c search_path=${schema},public`, application_name: service },
  });
}

/**
 * Creates the service schema and the shared ledger, then applies pending migrations (the platform's
 * first, then the service's). Safe to run from many processes at once.
 */
export async function migrateDataSource(ds: DataSource, env: PlatformEnv, service: string): Promise<string[]> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock($1)', [BOOT_LOCK_KEY]);
    try {
      await qr.query(`CREATE SCHEMA IF NOT EXISTS ${ident(serviceSchema(env, service))}`);
      await ensureLedgerSchema(qr, ledgerSchema(env));
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await qr.query('SELECT pg_advisory_unlock($1)', [BOOT_LOCK_KEY]);
    }
  } finally {
    await qr.release();
  }
}
