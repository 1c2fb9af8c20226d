import { RmmConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { RmmClient } from './rmm-client';

// Placeholder until the vendor adapters land: fails loudly, never fakes a result.
export function createRmmClient(conn: RmmConnection, _clientIdentifier: string, _observe?: VendorCallObserver): RmmClient {
  throw new Error(`RMM adapter for ${conn.system} is not built yet`);
}
