import type { VendorMount } from '../core/context';
import { mountConnectWise, mountConnectWiseKeys } from './connectwise';
import { mountHaloPsa } from './halopsa';
import { mountAutotask } from './autotask';
import { mountGraph, mountGraphLogin } from './graph';
import { mountItGlue } from './itglue/itglue';
import { mountDocsAdmin } from './itglue/docs-admin';
import { mountHudu } from './hudu/hudu';
import { mountConfluence } from './confluence/confluence';
import { mountNinjaOne } from './ninjaone/ninjaone';
import { mountRmmAdmin } from './ninjaone/rmm-admin';
import { mountDatto } from './datto/datto';
import { mountTwilio } from './twilio';
import { mountTeamsHooks, mountSlackHooks, mountPagingHook } from './chat-hooks';
import { mountOutboxAdmin, mountInboundAdmin } from '../admin/outbox-routes';

/**
 * The vendor modules the sandbox serves: one line per URL prefix (a vendor may appear more than once,
 * e.g. Autotask's zone lookup lives outside its versioned base). `vendor` names the vendor in the call
 * log, in fault rules and in `/admin/calls?vendor=`. Append your line; keep this a plain list.
 */
export interface VendorEntry {
  vendor: string;
  prefix: string;
  mount: VendorMount;
}

export const vendorMounts: VendorEntry[] = [
  { vendor: 'connectwise', prefix: '/cw/v4_6_release/apis/3.0', mount: mountConnectWise },
  { vendor: 'connectwise', prefix: '/cw/v4_6_release/system/callbackkey/index.rails', mount: mountConnectWiseKeys },
  { vendor: 'halopsa', prefix: '/halo', mount: mountHaloPsa },
  { vendor: 'autotask', prefix: '/autotask/atservicesrest', mount: mountAutotask },
  { vendor: 'graph', prefix: '/login', mount: mountGraphLogin },
  { vendor: 'graph', prefix: '/graph/v1.0', mount: mountGraph },
  { vendor: 'itglue', prefix: '/itglue', mount: mountItGlue },
  { vendor: 'hudu', prefix: '/hudu', mount: mountHudu },
  { vendor: 'confluence', prefix: '/confluence', mount: mountConfluence },
  { vendor: 'sandbox-admin', prefix: '/admin/docs', mount: mountDocsAdmin },
  { vendor: 'ninjaone', prefix: '/ninja', mount: mountNinjaOne },
  { vendor: 'datto', prefix: '/datto', mount: mountDatto },
  { vendor: 'sandbox-admin', prefix: '/admin/rmm', mount: mountRmmAdmin },
  { vendor: 'twilio', prefix: '/twilio', mount: mountTwilio },
  { vendor: 'teams', prefix: '/hooks/teams', mount: mountTeamsHooks },
  { vendor: 'slack', prefix: '/hooks/slack', mount: mountSlackHooks },
  { vendor: 'paging', prefix: '/hooks/paging', mount: mountPagingHook },
  { vendor: 'sandbox-admin', prefix: '/admin/outbox', mount: mountOutboxAdmin },
  { vendor: 'sandbox-admin', prefix: '/admin/inbound', mount: mountInboundAdmin },
];
