import { createHash } from 'node:crypto';

/**
 * Deterministic GUIDs: the same seed always yields the same object ids, so ids survive a reset and the
 * desk (or a test) may cache them exactly as it would cache real Entra object ids.
 */
export function guidFor(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  // RFC 4122 layout, version 5 (name-based, SHA-1), variant 10xx.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const userIdFor = (upn: string): string => guidFor('graph-user', upn.toLowerCase());
export const groupIdFor = (tenantDomain: string, name: string): string => guidFor('graph-group', tenantDomain.toLowerCase(), name.toLowerCase());
export const tenantIdFor = (domain: string): string => guidFor('graph-tenant', domain.toLowerCase());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

/** Well-known method ids Graph uses for phone and email authentication methods. */
export const WELL_KNOWN_METHOD_IDS = {
  password: '28c10230-6103-485e-b985-444c60001490',
  mobilePhone: '3179e48a-750b-4051-897c-87b9720928f7',
  email: '3ddfcfc8-9383-446f-83cc-3ab9be4be18f',
} as const;
