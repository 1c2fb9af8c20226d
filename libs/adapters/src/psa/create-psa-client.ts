import { PsaConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { PsaClient } from './psa-client';

// Placeholder until the vendor adapters land (owned by the PSA adapter work): fails loudly, never fakes a result.
export function createPsaClient(conn: PsaConnection, _observe?: VendorCallObserver): PsaClient {
  throw new Error(`PSA adapter for ${conn.system} is not built yet`);
}
