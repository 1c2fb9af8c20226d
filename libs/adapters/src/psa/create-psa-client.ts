import { PsaConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { PsaClient } from './psa-client';
import { ConnectWisePsaClient } from './connectwise/connectwise-psa-client';
import { HaloPsaClient } from './halopsa/halopsa-psa-client';
import { AutotaskPsaClient } from './autotask/autotask-psa-client';

import type { PsaClientOptions } from './psa-options';

export type { PsaClientOptions };

/** The PSA adapter for a connection: which vendor is configuration only. */
export function createPsaClient(conn: PsaConnection, observe?: VendorCallObserver, opts: PsaClientOptions = {}): PsaClient {
  switch (conn.system) {
    case 'connectwise':
      return new ConnectWisePsaClient(conn, observe, opts);
    case 'halopsa':
      return new HaloPsaClient(conn, observe, opts);
    case 'autotask':
      return new AutotaskPsaClient(conn, observe, opts);
  }
}
