import { DocsConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { DocsClient } from './docs-client';

// Placeholder until the vendor adapters land: fails loudly, never fakes a result.
export function createDocsClient(conn: DocsConnection, _clientIdentifier: string | null, _observe?: VendorCallObserver): DocsClient {
  throw new Error(`docs adapter for ${conn.system} is not built yet`);
}
