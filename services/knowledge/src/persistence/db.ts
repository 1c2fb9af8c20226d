import { Pool } from 'pg';

/** The least the repositories need: parameterised SQL. pg pools, pg clients and TypeORM managers all fit. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Sql {
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export class PgDb implements Db {
  constructor(readonly pool: Pool) {}

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({ query: async <R>(t: string, p: unknown[] = []) => (await client.query(t, p)).rows as R[] });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** A TypeORM DataSource / EntityManager seen through the same interface (what the platform provides). */
export interface TypeOrmLike {
  query(text: string, params?: unknown[]): Promise<unknown>;
  transaction<T>(fn: (em: { query(text: string, params?: unknown[]): Promise<unknown> }) => Promise<T>): Promise<T>;
}

export function fromTypeOrm(ds: TypeOrmLike): Db {
  const asSql = (q: { query(text: string, params?: unknown[]): Promise<unknown> }): Sql => ({
    query: async <T>(text: string, params: unknown[] = []) => (await q.query(text, params)) as T[],
  });
  return { ...asSql(ds), transaction: (fn) => ds.transaction((em) => fn(asSql(em))) };
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}
