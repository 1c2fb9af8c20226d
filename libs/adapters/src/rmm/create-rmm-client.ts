import { RmmConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { DattoRmmClient } from './datto-rmm-client';
import { NinjaOneRmmClient } from './ninjaone-rmm-client';
import { RmmClient } from './rmm-client';

/** The RMM adapter of one MSP client (its NinjaOne organization or Datto RMM site). */
export function createRmmClient(conn: RmmConnection, clientIdentifier: string, observe?: VendorCallObserver): RmmClient {
  switch (conn.system) {
    case 'ninjaone':
      return new NinjaOneRmmClient(conn, clientIdentifier, { observe });
    case 'datto':
      return new DattoRmmClient(conn, clientIdentifier, { observe });
  }
}
