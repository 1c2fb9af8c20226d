import type { VendorMount } from '../core/context';
import { mountGraph, mountGraphLogin } from './graph';

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
  { vendor: 'graph', prefix: '/login', mount: mountGraphLogin },
  { vendor: 'graph', prefix: '/graph/v1.0', mount: mountGraph },
];
