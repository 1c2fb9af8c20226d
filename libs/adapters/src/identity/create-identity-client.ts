import { IdentityConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { IdentityClient } from './identity-client';

// Placeholder until the Graph adapter lands: fails loudly, never fakes a result.
export function createIdentityClient(conn: IdentityConnection, _observe?: VendorCallObserver): IdentityClient {
  throw new Error(`identity adapter for ${conn.system} is not built yet`);
}
