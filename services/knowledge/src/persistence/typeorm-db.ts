import { DataSource, EntityManager } from 'typeorm';
import { Db, fromTypeOrm, Sql } from './db';

/** The platform's DataSource as the knowledge Db (its own transactions per sync). */
export function fromDataSource(ds: DataSource): Db {
  return fromTypeOrm(ds);
}

/** A handler's transaction (ctx.tx) as Sql, so what the handler writes commits with its outbox row. */
export function fromEntityManager(em: EntityManager): Sql {
  return { query: async <T>(text: string, params: unknown[] = []) => (await em.query(text, params)) as T[] };
}
