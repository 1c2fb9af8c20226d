import type { RetryPolicy } from '../http/http-client';
import { VendorCallObserver } from '../observe';

export interface RmmClientOptions {
  observe?: VendorCallObserver;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Devices per page asked of the vendor. */
  pageSize?: number;
}

/** PowerShell-style parameter string (`-Name "value"`), the form NinjaOne passes to a script. */
export function scriptParameterString(params: Record<string, string>): string {
  return Object.entries(params).map(([k, v]) => `-${k} "${v.replace(/(["\\])/g, '\\$1')}"`).join(' ');
}

/** The desk's device vocabulary (workstation, laptop, server, printer, firewall) from a vendor's class. */
export function worldDeviceType(vendorClass: string | null, chassis: string | null): string | null {
  if (!vendorClass) return null;
  const c = vendorClass.toUpperCase();
  if (c.includes('PRINTER')) return 'printer';
  if (c.includes('FIREWALL')) return 'firewall';
  if (c.includes('SERVER')) return 'server';
  if (c.includes('LAPTOP') || chassis?.toUpperCase() === 'LAPTOP') return 'laptop';
  if (c.includes('WORKSTATION') || c === 'MAC' || c.includes('DESKTOP')) return 'workstation';
  return c.toLowerCase();
}
