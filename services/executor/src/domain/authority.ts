import { ClientSnapshot, ContactRecord, GroupRecord, UserRecord, contactById, contactByUpn, lc } from './records';

/** How the requester stands to the affected account (strongest first is not implied; a person can be several). */
export type Relation = 'self' | 'manager' | 'approver' | 'owner';

export function relations(
  s: ClientSnapshot,
  requester: ContactRecord | null,
  affected: UserRecord | null,
  group: GroupRecord | null = null,
): Set<Relation> {
  const out = new Set<Relation>();
  if (!requester || !requester.active) return out;
  if (affected && requester.upn && lc(requester.upn) === lc(affected.upn)) out.add('self');
  if (affected && isManagerOf(s, requester, affected)) out.add('manager');
  if (requester.authorizedApprover) out.add('approver');
  if (group && requester.upn && group.owners.some((o) => lc(o) === lc(requester.upn))) out.add('owner');
  return out;
}

/** The manager on file: the identity's managerUpn, or the contact's managerContactId (both sources must not disagree). */
export function isManagerOf(s: ClientSnapshot, requester: ContactRecord, affected: UserRecord): boolean {
  if (!requester.upn) return false;
  const byUser = affected.managerUpn !== null && lc(affected.managerUpn) === lc(requester.upn);
  const affectedContact = contactByUpn(s, affected.upn);
  const byContact = affectedContact?.managerContactId != null && affectedContact.managerContactId === requester.id;
  return byUser || byContact;
}

/** The manager on file of `affected` as a contact, if any. */
export function managerContact(s: ClientSnapshot, affected: UserRecord): ContactRecord | null {
  const viaUpn = contactByUpn(s, affected.managerUpn);
  if (viaUpn) return viaUpn;
  const c = contactByUpn(s, affected.upn);
  return contactById(s, c?.managerContactId ?? null);
}

/** People whose written approval counts: the affected user's manager on file, and every authorized approver. */
export function approversFor(s: ClientSnapshot, affected: UserRecord | null, extra: ContactRecord[] = []): ContactRecord[] {
  const list: ContactRecord[] = [];
  const add = (c: ContactRecord | null) => {
    if (c && c.active && !list.some((x) => x.id === c.id)) list.push(c);
  };
  if (affected) add(managerContact(s, affected));
  for (const c of s.contacts) if (c.authorizedApprover) add(c);
  for (const c of extra) add(c);
  return list;
}

/** Owners of a group, as active contacts. */
export function ownerContacts(s: ClientSnapshot, group: GroupRecord): ContactRecord[] {
  return group.owners.map((o) => contactByUpn(s, o)).filter((c): c is ContactRecord => c !== null && c.active);
}
