import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs fn in a transaction on its own connection. Postgres serialization/deadlock failures are retried
 * a few times right here, since re-running a short transaction is far cheaper than a redelivery.
 */
export async function inTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const result = await fn(qr.manager);
      await qr.commitTransaction();
      return result;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code;
      if ((code === '40001' || code === '40P01') && attempt < 3) continue;
      throw e;
    } finally {
      await qr.release();
    }
  }
}
