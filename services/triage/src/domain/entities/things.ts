import { ResolvedEntity } from '@desk/contracts';
import { ClientDirectory, DirDevice, PRIVILEGED_GROUP_NAME } from './directory';
import { cachedRegex, containsPhrase, escapeRegex, norm, significantTokens } from './text-match';

type Entity = ResolvedEntity;

/** Hostname-like tokens as written (uppercase, with a digit or two hyphens): CDG-LV-SRV01, RCF-WS-FRONT. */
const HOSTLIKE = /\b[A-Z][A-Z0-9]{1,5}(?:-[A-Z0-9]+){1,4}\b/g;
const SERIALLIKE = /\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,14}\b/g;

export function resolveDevices(text: string, dir: ClientDirectory, alertDevice: string | null, ownerUpn: string | null, groupNames: string[]): Entity[] {
  const out: Entity[] = [];
  const seen = new Set<string>();
  const add = (e: Entity) => {
    const key = `${e.kind}:${(e.ref ?? e.mention).toLowerCase()}`;
    if (!seen.has(key)) { seen.add(key); out.push(e); }
  };
  const byName = (d: DirDevice) => (d.type === 'printer' ? 'printer' : 'device') as 'printer' | 'device';
  const mentions = new Set<string>(text.match(HOSTLIKE) ?? []);
  if (alertDevice) mentions.add(alertDevice);
  for (const m of mentions) {
    if (groupNames.some((g) => g.toLowerCase() === m.toLowerCase())) continue;
    if (!/\d/.test(m) && m.split('-').length < 3) continue;
    const d = dir.devices.find((x) => x.hostname.toLowerCase() === m.toLowerCase() || x.assetTag?.toLowerCase() === m.toLowerCase());
    if (d) add({ kind: byName(d), mention: m, ref: d.hostname, confidence: 1, note: d.online === false ? 'device is offline' : null });
    else if (looksLikeClientHost(m, dir)) add({ kind: 'device', mention: m, ref: null, confidence: 0, note: 'no such device in the PSA or RMM for this client' });
  }
  for (const s of text.match(SERIALLIKE) ?? []) {
    const d = dir.devices.find((x) => x.serial?.toLowerCase() === s.toLowerCase());
    if (d) add({ kind: byName(d), mention: s, ref: d.hostname, confidence: 0.95, note: 'matched by serial number' });
  }
  // "my laptop" / "her PC": the one computer the affected user owns.
  const owned = /\b(my|his|her|their|the) (work )?(laptop|computer|pc|machine|workstation|desktop|notebook)\b/i.exec(text);
  if (owned && ownerUpn && !out.some((e) => e.kind === 'device' && e.ref)) {
    const mine = dir.devices.filter((d) => d.ownerUpn?.toLowerCase() === ownerUpn.toLowerCase() && d.type !== 'printer');
    const wanted = /laptop|notebook/i.test(owned[3]!) ? mine.filter((d) => d.type === 'laptop') : mine;
    const pick = wanted.length === 1 ? wanted[0] : mine.length === 1 ? mine[0] : undefined;
    if (pick) add({ kind: 'device', mention: owned[0], ref: pick.hostname, confidence: 0.85, note: `the ${pick.type ?? 'device'} owned by ${ownerUpn}` });
    else add({ kind: 'device', mention: owned[0], ref: null, confidence: 0, note: mine.length ? `${mine.length} devices owned by ${ownerUpn}` : `no device owned by ${ownerUpn}` });
  }
  return out;
}

function looksLikeClientHost(token: string, dir: ClientDirectory): boolean {
  const prefixes = new Set(dir.devices.map((d) => d.hostname.split('-')[0]!.toUpperCase()));
  return prefixes.has(token.split('-')[0]!.toUpperCase());
}

export function resolveSoftware(text: string, dir: ClientDirectory, wantsSoftware: boolean): Entity[] {
  const t = ` ${norm(text)} `;
  const scored = dir.software
    .map((s) => {
      const toks = significantTokens(s.name);
      if (toks.length === 0) return { s, share: 0 };
      const hits = toks.filter((k) => t.includes(` ${k} `)).length;
      // The brand (first significant token) must be there: "Pro" alone never names a product.
      return { s, share: t.includes(` ${toks[0]} `) ? hits / toks.length : 0 };
    })
    .filter((x) => x.share >= 0.5)
    .sort((a, b) => b.share - a.share || b.s.name.length - a.s.name.length);
  const out: Entity[] = [];
  const best = scored[0];
  if (best) {
    const tied = scored.filter((x) => x.share === best.share);
    if (tied.length > 1 && best.share < 1) {
      out.push({ kind: 'software', mention: tied.map((x) => x.s.name).join(' / '), ref: null, confidence: 0, note: 'ambiguous: several catalog titles match' });
    } else {
      out.push({ kind: 'software', mention: best.s.name, ref: best.s.name, confidence: round(0.6 + 0.4 * best.share), note: best.s.approved ? null : 'in the catalog but not approved' });
    }
  } else if (byShortName(text, dir)) {
    out.push(byShortName(text, dir)!);
  } else if (wantsSoftware) {
    const m = /\b(?:install|reinstall|re-install|repair|need|get|add|download|put)\s+(?:the\s+)?(?:latest\s+)?([A-Z][\w.+-]*(?:\s+[A-Z0-9][\w.+-]*){0,3})/.exec(text);
    if (m) out.push({ kind: 'software', mention: m[1]!, ref: null, confidence: 0, note: 'not in the client software catalog (not approved)' });
  }
  return out;
}

/** Words of product names that also mean other things ("card reader", "shared drive", "media player"). */
const COMMON_PRODUCT_WORDS = new Set(['reader', 'viewer', 'manager', 'designer', 'player', 'media', 'practice', 'imaging', 'billing', 'secure', 'drive',
  'workplace', 'apps', 'business', 'enterprise', 'tax', 'pro', 'desktop', 'accountant', 'server', 'express', 'agent', 'add', 'in', 'outlook', 'office',
  'vpn', 'crm', 'dms', 'mes', 'cam', 'uploader', 'google', 'cisco', 'sonicwall', 'zoom', 'teams', 'client', 'shopfloor', 'floor', 'shop']);

/**
 * The short names people use for a catalog title: its one distinctive word ("DentaChart", "Chrome",
 * "NetExtender"), or its vendor and a further word ("Adobe Reader" for Adobe Acrobat Reader). Only a
 * word no other title of the client shares counts, so "LexFile" (two titles) stays unresolved.
 */
function byShortName(text: string, dir: ClientDirectory): Entity | null {
  const t = ` ${norm(text)} `;
  const has = (w: string) => t.includes(` ${w} `);
  const hits = new Map<string, { s: (typeof dir.software)[number]; mention: string }>();
  for (const s of dir.software) {
    const toks = significantTokens(s.name);
    const vendor = norm(s.name).split(' ')[0]!;
    const unique = toks.filter((k) => k.length >= 5 && !COMMON_PRODUCT_WORDS.has(k) && !dir.software.some((o) => o !== s && significantTokens(o.name).includes(k)));
    const word = unique.find(has);
    if (word) { hits.set(s.name, { s, mention: word }); continue; }
    // "Adobe Reader": the vendor and a word of this title that no other title of that vendor has.
    const sameVendor = dir.software.filter((o) => o !== s && norm(o.name).split(' ')[0] === vendor);
    const own = toks.filter((k) => k !== vendor && !sameVendor.some((o) => significantTokens(o.name).includes(k)));
    const second = own.find(has);
    if (vendor.length >= 4 && has(vendor) && second && toks.length >= 2) hits.set(s.name, { s, mention: `${vendor} ${second}` });
  }
  if (hits.size !== 1) return null;
  const [{ s, mention }] = [...hits.values()];
  return { kind: 'software', mention, ref: s.name, confidence: 0.75, note: s.approved ? 'named by its short name' : 'in the catalog but not approved' };
}

const GENERIC_GROUP_TOKENS = new Set(['all', 'staff', 'team', 'users', 'group', 'list', 'access', 'the', 'and', 'of', 'v', 'members']);

/** The words that tell one group from another: "CDG-Lakeview-Staff" → ["lakeview"]. */
function distinctiveTokens(name: string): string[] {
  return stripClientPrefix(name).toLowerCase().split(/[-_\s]+/).filter((t) => t.length >= 3 && !GENERIC_GROUP_TOKENS.has(t));
}

function hasToken(lowerText: string, token: string): boolean {
  const stem = token.endsWith('s') ? token.slice(0, -1) : token;
  return cachedRegex(`(^|[^a-z0-9])${escapeRegex(stem)}s?(?=$|[^a-z0-9])`).test(lowerText);
}

export function resolveGroups(text: string, dir: ClientDirectory, groupCategory: boolean): Entity[] {
  const out: Entity[] = [];
  const lower = text.toLowerCase();
  const fuzzy: Array<{ e: Entity; tokens: number }> = [];
  for (const g of dir.groups) {
    const privileged = g.privileged || PRIVILEGED_GROUP_NAME.test(g.name);
    const note = [g.type !== 'unknown' ? g.type : null, privileged ? 'privileged' : null].filter(Boolean).join(', ') || null;
    if (containsPhrase(text, g.name)) { out.push({ kind: 'group', mention: g.name, ref: g.name, confidence: 1, note }); continue; }
    if (!groupCategory && !privileged) continue;
    // Words of the name without the client prefix: all of them, or at least two of three ("Harlow matter").
    const toks = distinctiveTokens(g.name);
    const hits = toks.filter((t) => hasToken(lower, t));
    if (toks.length === 0 || hits.length === 0) continue;
    if (hits.length === toks.length || (hits.length >= 2 && hits.length / toks.length >= 0.6)) {
      fuzzy.push({ e: { kind: 'group', mention: hits.join(' '), ref: g.name, confidence: round(0.6 + 0.3 * (hits.length / toks.length)), note }, tokens: hits.length });
    }
  }
  // Among fuzzy hits keep the most specific ("event volunteers" → RCF-Event-Volunteers, not RCF-Volunteers).
  const best = Math.max(0, ...fuzzy.map((f) => f.tokens));
  for (const f of fuzzy) if (f.tokens === best && !out.some((o) => o.ref === f.e.ref)) out.push(f.e);
  return out;
}

/** "WC-Partners" → "Partners"; "CDG-Scan-to-Folder" → "Scan-to-Folder". */
function stripClientPrefix(name: string): string {
  const m = /^[A-Z]{2,4}-(.+)$/.exec(name);
  return m ? m[1]! : name;
}

/** Privileged groups named in text that the directory does not list (e.g. "Domain Admins" in a cloud-only tenant). */
export function unlistedPrivilegedGroups(text: string, dir: ClientDirectory): Entity[] {
  const known = new Set(dir.groups.map((g) => g.name.toLowerCase()));
  const out: Entity[] = [];
  for (const m of text.matchAll(/\b(domain admins|enterprise admins|schema admins|global admin(istrator)?s?|local admin(istrator)?s?)\b/gi)) {
    if (!known.has(m[0].toLowerCase())) out.push({ kind: 'group', mention: m[0], ref: null, confidence: 0, note: 'privileged; not a group of this client' });
  }
  return out;
}

export function resolveServices(text: string, dir: ClientDirectory, alertCondition: string | null, deviceHost: string | null): Entity[] {
  const names = new Set<string>();
  for (const d of dir.devices) for (const s of d.services) names.add(s);
  const mentions = new Set<string>();
  const fromAlert = /(?:windows service\s*-\s*|service monitor\s*-\s*|service\s+')([A-Za-z0-9_$.-]+)/i.exec(`${alertCondition ?? ''}\n${text}`);
  if (fromAlert) mentions.add(fromAlert[1]!);
  for (const n of names) if (n.length >= 4 && containsPhrase(text, n)) mentions.add(n);
  if (/print spooler/i.test(text)) mentions.add('Spooler');
  const out: Entity[] = [];
  for (const m of mentions) {
    if (names.size === 0) {
      // The inventory has no service lists (vendor mode): name it, but do not claim it was checked.
      out.push({ kind: 'service', mention: m, ref: m, confidence: 0.7, note: 'not checked: the inventory lists no services' });
      continue;
    }
    const name = [...names].find((n) => n.toLowerCase() === m.toLowerCase());
    const host = deviceHost ? dir.devices.find((d) => d.hostname.toLowerCase() === deviceHost.toLowerCase()) : undefined;
    const onHost = host && name ? host.services.some((s) => s.toLowerCase() === name.toLowerCase()) : null;
    out.push({
      kind: 'service', mention: m, ref: name ?? null, confidence: name ? (onHost === false ? 0.6 : 1) : 0,
      note: !name ? 'no device of this client runs a service by that name' : onHost === false ? `not installed on ${deviceHost}` : host ? `on ${host.hostname}` : null,
    });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
