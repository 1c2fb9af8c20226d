import { ResolvedEntity, TicketCategory } from '@desk/contracts';
import { ClientDirectory, DirContact, PRIVILEGED_GROUP_NAME } from './directory';
import { cachedRegex, escapeRegex } from './text-match';
import { AffectedUser, findPeople, resolveAffected } from './people';
import { deviceByPlace } from './places';
import { resolveDevices, resolveGroups, resolveServices, resolveSoftware, unlistedPrivilegedGroups } from './things';

export interface EntityInput {
  summary: string;
  description: string;
  fromEmail: string | null;
  fromName: string | null;
  contactId: string | null;
  clientIdentifier: string | null;
  alertDevice: string | null;
  alertCondition: string | null;
  isAlert: boolean;
  category: TicketCategory;
}

export interface ClientMatch {
  client: ClientDirectory | null;
  how: string;
}

export interface Resolution {
  client: ClientMatch;
  requester: DirContact | null;
  affected: AffectedUser;
  entities: ResolvedEntity[];
  /** Privileged groups the ticket names (directory flag or admin-like name). */
  privilegedGroups: string[];
  /** Why the affected account must not be changed by automation, if it must not. */
  protectedTarget: string | null;
}

/** The MSP client: the source's PSA company, else the sender's domain, else the contact, else a unique hostname prefix. */
export function resolveClient(input: Pick<EntityInput, 'clientIdentifier' | 'fromEmail' | 'contactId' | 'summary' | 'description' | 'alertDevice'>, dirs: readonly ClientDirectory[]): ClientMatch {
  if (input.clientIdentifier) {
    const c = dirs.find((d) => d.identifier.toLowerCase() === input.clientIdentifier!.toLowerCase());
    if (c) return { client: c, how: 'PSA company on the ticket' };
  }
  const email = input.fromEmail?.toLowerCase().trim() ?? '';
  const domain = email.split('@')[1];
  if (domain) {
    const c = dirs.find((d) => d.domains.some((x) => x.toLowerCase() === domain));
    if (c) return { client: c, how: `sender domain ${domain}` };
    const byContact = dirs.find((d) => d.contacts.some((k) => k.email?.toLowerCase() === email));
    if (byContact) return { client: byContact, how: 'sender is a contact on file' };
  }
  if (input.contactId) {
    const c = dirs.find((d) => d.contacts.some((k) => k.id === input.contactId));
    if (c) return { client: c, how: 'PSA contact on the ticket' };
  }
  // Addresses in the body (an alert naming a user, a forwarded mail) point at their client when unambiguous.
  const bodyDomains = new Set((`${input.summary}\n${input.description}`.match(/[a-z0-9._%+-]+@([a-z0-9.-]+\.[a-z]{2,})/gi) ?? []).map((a) => a.split('@')[1]!.toLowerCase()));
  const byBody = dirs.filter((d) => d.domains.some((x) => bodyDomains.has(x.toLowerCase())));
  if (byBody.length === 1) return { client: byBody[0]!, how: 'an address of the client named in the ticket' };
  const hosts = new Set<string>([...(`${input.summary}\n${input.description}`.match(/\b[A-Z][A-Z0-9]{1,5}(?:-[A-Z0-9]+){1,4}\b/g) ?? []), ...(input.alertDevice ? [input.alertDevice] : [])]);
  const owners = new Set(dirs.filter((d) => d.devices.some((dev) => hosts.has(dev.hostname))).map((d) => d.identifier));
  if (owners.size === 1) {
    const id = [...owners][0]!;
    return { client: dirs.find((d) => d.identifier === id)!, how: 'a device named in the ticket' };
  }
  // Last resort: exactly one client has a person with the full name written in the ticket (e.g. a personal address).
  const text = `${input.summary}\n${input.description}`;
  const byName = dirs.filter((d) => d.contacts.some((c) => text.includes(`${c.firstName} ${c.lastName}`)));
  if (byName.length === 1) return { client: byName[0]!, how: 'a person of the client named in the ticket (sender not on file)' };
  return { client: null, how: input.clientIdentifier ? `unknown PSA company "${input.clientIdentifier}"` : 'no PSA company, sender domain or device matched a client' };
}

const DEVICE_CATEGORIES_LIST: TicketCategory[] = ['printer', 'wifi_connectivity', 'hardware', 'service_restart', 'software_install', 'software_reinstall'];
/** Categories whose fix runs on a computer: a shared computer named by its place is the target. */
const PLACE_CATEGORIES: ReadonlySet<TicketCategory> = new Set<TicketCategory>([...DEVICE_CATEGORIES_LIST, 'email_issue', 'vpn_connectivity']);
const PERSONLESS: ReadonlySet<TicketCategory> = new Set<TicketCategory>(['onboarding', 'other']);
const DEVICE_CATEGORIES: ReadonlySet<TicketCategory> = new Set<TicketCategory>(DEVICE_CATEGORIES_LIST);
const SHARED_PLACE = /\b(front desk(?! \d)|kiosks?|operatory|lobby|shop floor|loaner|shared (pc|computer|printer)|everyone|nobody|whole (office|floor|team|building)|east side|west side|servers?|guests?|events?)\b/i;
const PERSONAL = /\b(my|his|her) (own |work |new )?(laptop|computer|pc|desktop|phone|headset|monitor|keyboard|mouse|machine|workstation)\b/i;

function deviceCentric(text: string, category: TicketCategory): boolean {
  if (!DEVICE_CATEGORIES.has(category) || PERSONAL.test(text)) return false;
  return SHARED_PLACE.test(text);
}

/** A shared login / mailbox the request is about: named by address (billing@) or by its display name. */
/** "the shared front desk login", "kiosk login", "shared mailbox" — wording for an account nobody owns. */
const SHARED_LOGIN_WORDING = /\bshared\b[^.\n]{0,40}\b(?:log-?in|account|mailbox|password)\b|\b(?:front[- ]?desk|reception|kiosk)\s+(?:log-?in|account|password)\b/i;

function sharedAccountNamed(text: string, dir: ClientDirectory, category: TicketCategory): { upn: string; displayName: string } | null {
  const relevant = ['password_reset', 'account_unlock', 'mfa_reenroll', 'email_issue'].includes(category);
  if (!relevant) return null;
  const lower = text.toLowerCase();
  for (const u of dir.users) {
    if (u.accountType !== 'shared_account' && u.accountType !== 'shared_mailbox') continue;
    const local = u.upn.split('@')[0]!;
    if (lower.includes(`${local.toLowerCase()}@`) && cachedRegex(`(^|[^a-z0-9.])${escapeRegex(local)}@`, 'i').test(text)) return u;
    const words = u.displayName.toLowerCase().replace(/\(.*?\)/g, ' ').split(/[^a-z0-9]+/).filter((w) => w && !['shared', 'login', 'the', 'account'].includes(w));
    if (u.accountType === 'shared_account' && words.length && words.every((w) => lower.includes(w)) && /\b(login|account|log-?in|sign-?in)\b/i.test(text)) return u;
  }
  return null;
}

export function resolveEntities(input: EntityInput, dirs: readonly ClientDirectory[]): Resolution {
  const r = resolveAll(input, dirs);
  return r;
}

function resolveAll(input: EntityInput, dirs: readonly ClientDirectory[]): Resolution {
  const client = resolveClient(input, dirs);
  const dir = client.client;
  const text = `${input.summary}\n${input.description}`;
  if (!dir) {
    return { client, requester: null, affected: { upn: null, contact: null, reason: 'client unknown', unresolvedMention: null, ambiguous: false }, entities: [], privilegedGroups: [], protectedTarget: null };
  }
  const email = input.fromEmail?.toLowerCase().trim() ?? null;
  const requester = dir.contacts.find((c) => (email && c.email?.toLowerCase() === email) || (input.contactId !== null && c.id === input.contactId)) ?? null;
  const people = findPeople(text, dir);
  let affected = resolveAffected(text, dir, requester, people, { personless: (input.isAlert && !people.some((p) => p.strength === 'email')) || PERSONLESS.has(input.category), summaryLength: input.summary.length + 1 });
  const shared = sharedAccountNamed(text, dir, input.category);
  if (shared) affected = { upn: shared.upn, contact: null, reason: `shared account named (${shared.displayName})`, unresolvedMention: null, ambiguous: false };
  else if (affected.contact === requester && SHARED_LOGIN_WORDING.test(text)) {
    // A shared login the directory cannot name is never the requester's own account: leave it unresolved.
    affected = { upn: null, contact: null, reason: 'a shared login is named but not resolved to an account', unresolvedMention: 'shared login', ambiguous: true };
  } else if (affected.upn && affected.contact === requester && deviceCentric(text, input.category)) {
    affected = { upn: null, contact: null, reason: 'about a shared device or place, not a person', unresolvedMention: null, ambiguous: false };
  }

  const entities: ResolvedEntity[] = [];
  entities.push(requester
    ? { kind: 'contact', mention: input.fromName ?? email ?? requester.id, ref: requester.id, confidence: 1, note: requester.active ? null : 'contact is inactive' }
    : { kind: 'contact', mention: input.fromName ?? email ?? '(no sender)', ref: null, confidence: 0, note: 'sender is not a contact on file' });
  if (affected.upn || affected.unresolvedMention) {
    entities.push({ kind: 'user', mention: affected.contact ? `${affected.contact.firstName} ${affected.contact.lastName}` : affected.unresolvedMention ?? '', ref: affected.upn, confidence: affected.upn ? 1 : 0, note: affected.reason });
  }
  // Shared logins / mailboxes named by address or local part (billing@, frontdesk@).
  const lowerText = text.toLowerCase();
  for (const u of dir.users) {
    if (u.accountType === 'member') continue;
    const local = u.upn.split('@')[0]!;
    if (lowerText.includes(`${local.toLowerCase()}@`)) {
      entities.push({ kind: 'user', mention: `${local}@`, ref: u.upn, confidence: 1, note: u.accountType });
    }
  }
  const groupEntities = [...resolveGroups(text, dir, input.category === 'group_membership' || input.category === 'distribution_list'), ...unlistedPrivilegedGroups(text, dir)];
  entities.push(...groupEntities);
  const devices = resolveDevices(text, dir, input.alertDevice, affected.upn ?? requester?.upn ?? null, dir.groups.map((g) => g.name));
  if (PLACE_CATEGORIES.has(input.category) && !devices.some((d) => d.ref)) {
    const placed = deviceByPlace(text, dir);
    if (placed) devices.push(placed);
  }
  entities.push(...devices);
  entities.push(...resolveSoftware(text, dir, input.category === 'software_install' || input.category === 'software_reinstall'));
  const alertHost = input.alertDevice ?? devices.find((d) => d.ref)?.ref ?? null;
  entities.push(...resolveServices(text, dir, input.alertCondition, alertHost));

  const privilegedGroups = groupEntities.filter((e) => e.note?.includes('privileged')).map((e) => e.ref ?? e.mention);
  return { client, requester, affected, entities, privilegedGroups, protectedTarget: protectedTarget(dir, affected.upn, entities, input.category) };
}

/** Accounts automation must never change: disabled, shared, service/admin accounts, privileged-group members. */
function protectedTarget(dir: ClientDirectory, upn: string | null, entities: ResolvedEntity[], category: TicketCategory): string | null {
  const targets = [upn, ...entities.filter((e) => e.kind === 'user' && e.note && e.note !== 'member' && e.ref).map((e) => e.ref)].filter((x): x is string => !!x);
  for (const t of targets) {
    const u = dir.users.find((x) => x.upn.toLowerCase() === t.toLowerCase());
    if (!u) continue;
    if (!u.enabled) return `${u.upn} is disabled`;
    // A shared login may be unlocked (its manager asks); it is never reset or re-enrolled by automation.
    if (u.accountType === 'shared_account' && category === 'account_unlock') continue;
    if (u.accountType !== 'member' && u.accountType !== 'unknown') return `${u.upn} is a ${u.accountType.replace('_', ' ')} account`;
    const priv = u.groups.filter((g) => dir.groups.find((x) => x.name === g)?.privileged || PRIVILEGED_GROUP_NAME.test(g));
    if (priv.length) return `${u.upn} is in privileged group ${priv.join(', ')}`;
  }
  return null;
}
