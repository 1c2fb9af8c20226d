import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AutomationHeader, InboundTicket, RunbookResolution, TriageResult, TicketCategory } from '@desk/contracts';
import { loadClientRegister } from '../../src/adapters/client-register';
import { ClientSnapshot, UserRecord } from '../../src/domain/records';

/**
 * Test fixtures from the demo world: the client's records as the live directory would return them,
 * and the runbook resolution as knowledge computes it (client documents of the category replace the
 * global ones; stale documents are not usable).
 */
export const WORLD = join(__dirname, '../../../../sandbox/seed/demo-msp');
const register = loadClientRegister(WORLD);
const REFERENCE = Date.parse('2026-11-30T15:00:00Z');
const SLUGS: Record<string, string> = {
  ContosoDental: 'contoso-dental', WhitfieldCrane: 'whitfield-crane', TailspinMfg: 'tailspin-mfg', AlderBrooksCPA: 'alder-brooks', RiverbendFdn: 'riverbend-foundation',
};

export function snapshotOf(client: string, patch: (s: ClientSnapshot) => void = () => undefined): ClientSnapshot {
  const c = register.client(client)!;
  const users = new Map<string, UserRecord>();
  for (const u of c.users) {
    users.set(u.upn.toLowerCase(), {
      upn: u.upn, displayName: u.displayName, accountType: u.accountType, accountEnabled: u.accountEnabled, lockedOut: u.lockedOut,
      passwordLastSet: u.passwordLastSet, managerUpn: u.managerUpn, department: u.department, groups: [...u.groups],
      mfaMethods: u.mfaMethods.map((m, i) => ({ id: String(i), type: m.type as UserRecord['mfaMethods'][number]['type'], detail: m.detail })),
    });
  }
  const s: ClientSnapshot = {
    clientIdentifier: c.identifier, domains: [c.domain],
    contacts: c.contacts.map((x) => ({ ...x, clientIdentifier: c.identifier })),
    groups: c.groups.map((g) => ({ ...g, owners: [...g.owners] })),
    devices: c.devices.map((d) => ({ ...d, type: d.type as ClientSnapshot['devices'][number]['type'], installedSoftware: [...d.installedSoftware], services: [...d.services] })),
    catalog: c.softwareCatalog.map((t) => ({ ...t })),
    scripts: register.scripts.map((x) => ({ ...x })),
    vpnPortal: c.vpn?.portal ?? null,
    domainController: c.devices.find((d) => d.type === 'server' && /-DC\d*$/i.test(d.hostname))?.hostname ?? null,
    users,
  };
  patch(s);
  return s;
}

interface Doc { folder: string; category: string; title: string; updated: string; automation: AutomationHeader | null; sections: Record<string, string> }

function loadDocs(): Doc[] {
  const out: Doc[] = [];
  for (const folder of readdirSync(join(WORLD, 'runbooks'))) {
    for (const f of readdirSync(join(WORLD, 'runbooks', folder))) {
      const text = readFileSync(join(WORLD, 'runbooks', folder, f), 'utf8');
      const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
      const fm = parse(m[1]!) as { title: string; category: string; updated: string; automation?: Record<string, unknown> };
      const sections: Record<string, string> = {};
      for (const part of m[2]!.split(/^## /m).slice(1)) {
        const nl = part.indexOf('\n');
        sections[part.slice(0, nl).trim()] = part.slice(nl + 1).trim();
      }
      out.push({
        folder, category: fm.category, title: fm.title, updated: fm.updated, sections,
        automation: fm.automation ? AutomationHeader.parse(fm.automation) : null,
      });
    }
  }
  return out;
}
const DOCS = loadDocs();

export function runbookFor(client: string, category: TicketCategory): RunbookResolution {
  const own = DOCS.filter((d) => d.folder === SLUGS[client] && d.category === category);
  const docs = own.length > 0 ? own : DOCS.filter((d) => d.folder === '_global' && d.category === category);
  const fresh = docs.filter((d) => REFERENCE - Date.parse(d.updated) <= 548 * 86400_000);
  const automations = fresh.map((d) => d.automation).filter((a): a is AutomationHeader => a !== null);
  const join2 = (k: string) => docs.map((d) => d.sections[k] ?? '').filter(Boolean).join('\n');
  return {
    category: category === 'hardware' || category === 'other' ? null : category,
    automations,
    documents: docs.map((d) => ({ docId: d.title, title: d.title, scope: d.folder === '_global' ? 'global' : 'client', source: 'test', url: null, updatedAt: d.updated, why: 'category' })),
    prose: { prerequisites: join2('Prerequisites'), steps: join2('Steps'), escalateIf: join2('Escalate if'), notes: join2('Notes') },
    usable: automations.length > 0,
    reasons: automations.length > 0 ? [] : ['no usable automation'],
    gaps: docs.length === 0 ? ['no_runbook'] : automations.length === 0 ? ['no_automation'] : [],
  };
}

export interface TicketSpec {
  client: string;
  category: TicketCategory;
  from: string | null;
  summary: string;
  description?: string;
  affectedUpn?: string | null;
  entities?: TriageResult['entities'];
  route?: 'autonomous' | 'shadow' | 'escalate';
  channel?: InboundTicket['channel'];
  alertDevice?: string | null;
  security?: boolean;
  /** Triage read it as a thank-you / confirmation that asks for nothing. */
  housekeeping?: boolean;
}

export function ticketOf(t: TicketSpec): { ticket: InboundTicket; triage: TriageResult } {
  const ticket: InboundTicket = {
    channel: t.channel ?? 'email', psa: null, clientIdentifier: t.client, summary: t.summary, description: t.description ?? t.summary,
    fromEmail: t.from, fromName: null, contactId: null, receivedAt: '2026-11-30T14:00:00Z', attachments: [],
    alert: t.alertDevice ? { vendor: 'ninjaone', deviceName: t.alertDevice, condition: t.summary, severity: 'minor', count: 1 } : null, rawRef: null,
  };
  const triage: TriageResult = {
    category: t.category, confidence: 0.95, alternatives: [], classifier: 'rules', clientIdentifier: t.client,
    requester: { contactId: null, email: t.from, name: null, upn: t.from, vip: false },
    affectedUpn: t.affectedUpn ?? null, entities: t.entities ?? [],
    priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] },
    security: { flagged: t.security ?? false, signals: t.security ? ['test'] : [] },
    route: { decision: t.route ?? 'autonomous', reasons: [], policyMode: 'autonomous', threshold: 0.8 },
    duplicateOf: null, afterHours: false, housekeeping: t.housekeeping ?? false,
  };
  return { ticket, triage };
}

export const ent = (kind: TriageResult['entities'][number]['kind'], ref: string): TriageResult['entities'][number] => ({ kind, mention: ref, ref, confidence: 0.95, note: null });
