import { AutomationHeader, InboundTicket, TriageResult } from '@desk/contracts';
import {
  CatalogTitle, ClientSnapshot, DeviceRecord, GroupRecord, catalogTitle, contactByEmail, deviceByHostname, groupByName, lc,
} from './records';
import { Escalation, escalate } from './plan-types';
import { matchTitle } from './software-match';
import { escapeRe } from './prose';

/** Distinct resolved refs of one entity kind (what triage matched in the client's records). */
export function refs(triage: TriageResult, kind: TriageResult['entities'][number]['kind'], minConfidence = 0.5): string[] {
  const out: string[] = [];
  for (const e of triage.entities) {
    if (e.kind !== kind || e.ref === null || e.confidence < minConfidence) continue;
    if (!out.some((x) => lc(x) === lc(e.ref))) out.push(e.ref);
  }
  return out;
}

/** What the ticket asks for by software: triage's resolved title, else the words the ticket used. */
function softwareRequests(triage: TriageResult): string[] {
  const out: string[] = [];
  for (const e of triage.entities) {
    if (e.kind !== 'software' || e.confidence < 0.5) continue;
    const name = e.ref ?? e.mention;
    if (name && !out.some((x) => lc(x) === lc(name))) out.push(name);
  }
  return out;
}

/** Exactly one group, existing in THIS client's tenant. */
export function resolveGroup(triage: TriageResult, s: ClientSnapshot, subject = ''): GroupRecord | Escalation {
  let names = refs(triage, 'group');
  if (names.length === 0) return escalate('bad_input', 'no group of this client matches the request');
  if (names.length > 1) {
    const meant = subjectGroup(names, triage, subject);
    if (!meant) return escalate('bad_input', `several groups match (${names.join(', ')}); a technician confirms which`);
    names = [meant];
  }
  const g = groupByName(s, names[0]!);
  return g ?? escalate('target_not_allowed', `group "${names[0]}" does not exist in this client's tenant`);
}

/**
 * When several groups match, the one the ticket is about — if the text says so twice: the group is named
 * exactly (not only a word of it, like "Partner" in a signature or "Corporate" in passing), and the subject
 * line uses its words and no other candidate's ("Billing share access for Carlos" with WC-Billing named in
 * the body). Anything less stays with a technician.
 */
function subjectGroup(names: string[], triage: TriageResult, subject: string): string | null {
  const inSubject = names.filter((n) => groupWords(n).some((w) => hasWord(subject, w)));
  if (inSubject.length !== 1) return null;
  const pick = inSubject[0]!;
  const exact = triage.entities.some((e) => e.kind === 'group' && e.ref !== null && lc(e.ref) === lc(pick) && e.confidence >= 1);
  return exact ? pick : null;
}

/** "TSP-MES-Operators" → ["mes", "operators"]: the name's own words, without the client prefix. */
function groupWords(name: string): string[] {
  const bare = /^[A-Za-z]{2,4}-(.+)$/.exec(name)?.[1] ?? name;
  return bare.split(/[-_\s]+/).map((w) => w.toLowerCase()).filter((w) => w.length >= 3);
}

/** The word, singular or plural ("MES operator" for "Operators", "supervisors" for "Supervisor", "CAS" as is). */
function hasWord(text: string, word: string): boolean {
  const forms = word.endsWith('s') && word.length > 3 ? [word, word.slice(0, -1)] : [word];
  return forms.some((f) => new RegExp(`(^|[^a-z0-9])${escapeRe(f)}s?(?=$|[^a-z0-9])`).test(text.toLowerCase()));
}

/** The allow-list of the header(s), intersected: a title must be on every list that exists. */
export function allowed(headers: AutomationHeader[], pick: (h: AutomationHeader) => string[] | null, value: string): boolean | null {
  const lists = headers.map(pick).filter((l): l is string[] => l !== null);
  if (lists.length === 0) return null;
  return lists.every((l) => l.some((x) => lc(x) === lc(value)));
}

/** The device the ticket is about: named (or the alert's), else the requester's only own computer. */
export function resolveDevice(ticket: InboundTicket, triage: TriageResult, s: ClientSnapshot, opts: { printerOk: boolean }): DeviceRecord | Escalation {
  const named = refs(triage, 'device').map((h) => deviceByHostname(s, h));
  const alertHost = ticket.alert?.deviceName ?? null;
  if (alertHost) named.push(deviceByHostname(s, alertHost));
  if (named.some((d) => d === null)) return escalate('target_not_allowed', 'a device named in the ticket is not a device of this client');
  const devices = dedupe(named as DeviceRecord[]).filter((d) => opts.printerOk || d.type !== 'printer');
  if (devices.length > 1) return escalate('bad_input', `several devices named (${devices.map((d) => d.hostname).join(', ')})`);
  if (devices.length === 1) return devices[0]!;
  const requester = contactByEmail(s, triage.requester.email ?? ticket.fromEmail);
  const own = requester?.upn ? s.devices.filter((d) => d.ownerUpn !== null && lc(d.ownerUpn) === lc(requester.upn) && (d.type === 'laptop' || d.type === 'workstation')) : [];
  if (own.length === 1) return own[0]!;
  if (own.length > 1) return escalate('bad_input', 'the requester has several computers and the ticket does not say which');
  return escalate('bad_input', 'the ticket names no device of this client');
}

/**
 * The catalog titles the ticket is about: the ones triage named; for a repair (infer = true) without a
 * named title, every allow-listed title installed on the device (e.g. the LexFile client and its add-in).
 */
export function resolveTitles(triage: TriageResult, s: ClientSnapshot, headers: AutomationHeader[], device: DeviceRecord | null, infer: boolean, text: string): CatalogTitle[] | Escalation {
  let names = softwareRequests(triage);
  if (names.length === 0 && infer) {
    const lists = headers.map((h) => h.allowedSoftware).filter((l): l is string[] => l !== null);
    // VPN and Outlook runbooks name their one title; a generic repair must see the title in the ticket.
    const implied = triage.category === 'vpn_connectivity' || triage.category === 'email_issue';
    names = dedupeStr(lists.flat().filter((n) => device?.installedSoftware.some((x) => lc(x.name) === lc(n)) && (implied || distinctiveWordIn(n, text))));
  }
  if (names.length === 0) return escalate('bad_input', 'the ticket names no software title of the catalog');
  const out: CatalogTitle[] = [];
  for (const n of names) {
    const t = titleOnRecord(s, n);
    if ('kind' in t) return t;
    if (!t.approved) return escalate('target_not_allowed', `"${t.name}" is not approved in this client's catalog`);
    if (!out.some((x) => x.name === t.name)) out.push(t);
  }
  if (!infer && out.length > 1) return escalate('bad_input', `several titles named (${out.map((t) => t.name).join(', ')}); one install per ticket`);
  return out;
}

/** The catalog title a request names, by the conservative matcher: one title or an escalation with the candidates. */
export function titleOnRecord(s: ClientSnapshot, requested: string): CatalogTitle | Escalation {
  const exact = catalogTitle(s, requested);
  if (exact) return exact;
  const m = matchTitle(requested, s.catalog.map((t) => t.name));
  if (m.kind === 'match') return catalogTitle(s, m.title)!;
  if (m.kind === 'ambiguous') return escalate('bad_input', `"${requested}" could be any of ${m.candidates.join(', ')} in this client's catalog; a technician confirms which`);
  return escalate('target_not_allowed', `"${requested}" is not in this client's software catalog${m.near.length ? ` (titles on record with similar names: ${m.near.join(', ')})` : ''}`);
}

/**
 * Whether a catalog title is on the runbook's software allow-list(s): an entry counts when it names the
 * title exactly or resolves to it, and to nothing else, among the client's titles ("Chrome" → "Google Chrome").
 */
export function softwareAllowed(headers: AutomationHeader[], title: string, catalog: readonly string[]): boolean | null {
  const lists = headers.map((h) => h.allowedSoftware).filter((l): l is string[] => l !== null);
  if (lists.length === 0) return null;
  const names = catalog.includes(title) ? catalog : [...catalog, title];
  return lists.every((l) => l.some((x) => {
    if (lc(x) === lc(title)) return true;
    const m = matchTitle(x, names);
    return m.kind === 'match' && m.title === title;
  }));
}

const GENERIC = new Set(['microsoft', 'adobe', 'google', 'office', 'client', 'desktop', 'apps', 'for', 'business', 'enterprise', 'the', 'and', 'pro', 'windows']);

/** "LexFile toolbar gone" names LexFile; "Acrobat crashing" does not name LexFile. */
function distinctiveWordIn(title: string, text: string): boolean {
  const words = title.split(/[^A-Za-z0-9]+/).filter((w) => w.length >= 4 && !GENERIC.has(w.toLowerCase()));
  return words.length > 0 && new RegExp(`\\b${words[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i').test(text);
}

function dedupe(ds: DeviceRecord[]): DeviceRecord[] {
  return ds.filter((d, i) => ds.findIndex((x) => x.id === d.id) === i);
}

function dedupeStr(xs: string[]): string[] {
  return xs.filter((x, i) => xs.findIndex((y) => lc(y) === lc(x)) === i);
}

/** The Windows service an alert or a ticket is about. */
export function resolveService(ticket: InboundTicket, triage: TriageResult, headers: AutomationHeader[]): string | Escalation {
  const named = refs(triage, 'service');
  if (named.length === 1) return named[0]!;
  if (named.length > 1) return escalate('bad_input', `several services named (${named.join(', ')})`);
  const text = `${ticket.alert?.condition ?? ''}\n${ticket.summary}`;
  const m = /service\s*(?:-\s*)?['"]?([A-Za-z][\w$.-]{1,60})['"]?/i.exec(text);
  if (m && !/^(?:is|state|stopped|running)$/i.test(m[1]!)) return m[1]!;
  const lists = headers.map((h) => h.allowedServices).filter((l): l is string[] => l !== null);
  if (lists.length === 1 && lists[0]!.length === 1) return lists[0]![0]!;
  return escalate('bad_input', 'the ticket names no Windows service');
}
