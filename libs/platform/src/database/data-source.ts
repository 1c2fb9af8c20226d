import { DataSource, EntitySchema, MigrationInterface, QueryRunner } from 'typeorm';
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

/**
 * Schema changes are serialised per schema (advisory lock on its name), so replicas of one service never
 * migrate at once while different services (and test runs with other prefixes) boot in parallel.
 */
async function withSchemaLock<T>(qr: QueryRunner, schema: string, fn: () => Promise<T>): Promise<T> {
  await qr.query('SELECT pg_advisory_lock(hashtext($1))', [`desk.migrate.${schema}`]);
  try {
    return await fn();
  } finally {
    await qr.query('SELECT pg_advisory_unlock(hashtext($1))', [`desk.migrate.${schema}`]);
  }
}

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
    // application_name carries the schema prefix, so one run's backends can be told apart (bench CPU accounting).
    extra: { max: env.DB_POOL_SIZE, options: `-c search_path=${schema},public`, application_name: `${env.DB_SCHEMA_PREFIX}${service}` },
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
    await withSchemaLock(qr, ledgerSchema(env), () => ensureLedgerSchema(qr, ledgerSchema(env)));
    const schema = serviceSchema(env, service);
    return await withSchemaLock(qr, schema, async () => {
      await qr.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    });
  } finally {
    await qr.release();
  }
}
