import type { World } from './world';

/** One stored document as the seed produces it. */
export interface SeedRow {
  kind: string;
  id: string;
  client: string | null;
  doc: Record<string, unknown>;
}

/**
 * Document kinds the core seeds. Vendor modules read these and map them to their vendor's shapes; they
 * keep their own records (tickets, notes, registrations...) under kinds prefixed with the vendor
 * (`cw.ticket`, `halo.action`, `at.webhook`...). `client` is always the client's PSA identifier.
 */
export const Kinds = {
  client: 'client',
  contact: 'contact',
  user: 'user',
  group: 'group',
  device: 'device',
  catalog: 'catalog',
  member: 'member',
  board: 'board',
  priority: 'priority',
  workType: 'workType',
  agreement: 'agreement',
} as const;

/**
 * What the demo MSP's managed-services agreement covers: the L1 work the desk automates or routes.
 * Hardware break/fix and uncategorised work are outside it (billed separately), which gives the
 * "outside the agreement" path something real to find.
 */
export const AGREEMENT_COVERED_CATEGORIES = [
  'password_reset', 'account_unlock', 'mfa_reenroll', 'group_membership', 'distribution_list', 'software_install',
  'software_reinstall', 'vpn_connectivity', 'wifi_connectivity', 'printer', 'onboarding', 'offboarding',
  'email_issue', 'service_restart', 'security_incident',
];

/** Stable status ids across boards: board n (1-based) owns ids n*100+1... so ids never collide. */
export function statusId(boardId: number, index: number): number {
  return boardId * 100 + index + 1;
}

/** The whole seed as rows, computed once per world (pure; the store copies it on reset). */
export function seedRows(world: World): SeedRow[] {
  const rows: SeedRow[] = [];
  const { msp } = world;
  msp.members.forEach((m, i) => rows.push({ kind: Kinds.member, id: m.identifier, client: null, doc: { ...m, id: 100 + i + 1 } }));
  msp.boards.forEach((b, i) => {
    const id = i + 1;
    rows.push({
      kind: Kinds.board, id: String(id), client: null,
      doc: { id, name: b.name, statuses: b.statuses.map((s, j) => ({ id: statusId(id, j), name: s.name, closed: s.closed, sortOrder: j, default: j === 0 })) },
    });
  });
  msp.priorities.forEach((p) => rows.push({ kind: Kinds.priority, id: String(p.level), client: null, doc: { id: p.level, name: p.name, level: p.level } }));
  msp.workTypes.forEach((w, i) => rows.push({ kind: Kinds.workType, id: String(i + 1), client: null, doc: { id: i + 1, ...w } }));
  world.clients.forEach((c, i) => {
    const client = c.identifier;
    const { contacts, users, groups, devices, softwareCatalog, ...company } = c;
    rows.push({ kind: Kinds.client, id: String(c.id), client, doc: { ...company } });
    for (const x of contacts) rows.push({ kind: Kinds.contact, id: String(x.id), client, doc: { ...x, clientIdentifier: client } });
    for (const u of users) rows.push({ kind: Kinds.user, id: u.upn.toLowerCase(), client, doc: { ...u, clientIdentifier: client } });
    for (const g of groups) rows.push({ kind: Kinds.group, id: `${client}/${g.name}`, client, doc: { ...g, clientIdentifier: client } });
    for (const d of devices) rows.push({ kind: Kinds.device, id: String(d.id), client, doc: { ...d, clientIdentifier: client } });
    for (const t of softwareCatalog) rows.push({ kind: Kinds.catalog, id: `${client}/${t.name}`, client, doc: { ...t, clientIdentifier: client } });
    const agreementId = i + 1;
    rows.push({
      kind: Kinds.agreement, id: String(agreementId), client,
      doc: {
        id: agreementId, name: `${c.name} - Managed Services`, type: 'Managed Services', clientIdentifier: client,
        startDate: '2026-01-01', endDate: null, active: true, coveredCategories: AGREEMENT_COVERED_CATEGORIES,
        billableCategories: ['hardware', 'other'],
      },
    });
  });
  return rows;
}
