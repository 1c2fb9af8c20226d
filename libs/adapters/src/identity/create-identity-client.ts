import { IdentityConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { GraphIdentityClient } from './graph-identity-client';
import { IdentityClient } from './identity-client';

/** Entra ID is the only identity system the desk supports; its adapter is Microsoft Graph. */
export function createIdentityClient(conn: IdentityConnection, observe?: VendorCallObserver): IdentityClient {
  switch (conn.system) {
    case 'entra':
      return new GraphIdentityClient(conn, { observe });
  }
}
