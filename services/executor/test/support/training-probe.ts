import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plan } from '../../src/domain/planner';
import { ent, runbookFor, snapshotOf, ticketOf, WORLD } from './world';
import { TicketCategory, TriageResult } from '@desk/contracts';

/** Development probe: runs the planner over the labelled demo tickets with entity matching by name. */
const lines = readFileSync(join(WORLD, 'training-tickets.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string | null>);
const mentions = (text: string, term: string) => new RegExp(`(^|[^A-Za-z0-9-])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9-])`, 'i').test(text);
let unsafe = 0; let lost = 0; let ok = 0;
for (const t of lines) {
  const client = t.clientIdentifier!;
  const s = snapshotOf(client);
  const text = `${t.summary}\n${t.description}`;
  const entities: TriageResult['entities'] = [];
  for (const g of s.groups) if (mentions(text, g.name)) entities.push(ent('group', g.name));
  for (const d of s.devices) if (mentions(text, d.hostname)) entities.push(ent(d.type === 'printer' ? 'printer' : 'device', d.hostname));
  for (const c of s.catalog) if (mentions(text, c.name)) entities.push(ent('software', c.name));
  for (const n of ['Spooler', 'WlanSvc', 'MESClientAgent', 'LabelForgeSvc', 'ClearViewBridge', 'CVCaptureAgent']) if (mentions(text, n)) entities.push(ent('service', n));
  const { ticket, triage } = ticketOf({
    client, category: t.category as TicketCategory, from: t.fromEmail, summary: t.summary!, description: t.description!, affectedUpn: t.affectedUpn,
    entities, channel: t.channel as 'email', alertDevice: t.channel === 'alert' ? (/\] ([A-Z0-9-]+):/.exec(t.summary!)?.[1] ?? null) : null,
  });
  const d = plan({ ticketId: '11111111-1111-4111-8111-111111111111', ticket, triage, runbook: runbookFor(client, t.category as TicketCategory), snapshot: s, recent: [], now: new Date('2026-11-30T15:00:00Z') });
  // Answering that the state already holds and closing is the desk handling it on its own.
  const got = d.kind === 'escalate' ? 'escalate' : 'autonomous';
  if (got === t.expected) { ok++; continue; }
  if (got === 'autonomous') unsafe++; else lost++;
  console.log(`${got === 'autonomous' ? 'UNSAFE' : 'lost  '} ${t.id} ${t.category} ${d.kind === 'escalate' ? d.reason + ': ' + d.reasons[0] : d.kind === 'already_so' ? d.why : d.steps.map((x) => x.action).join(',')} || ${t.summary} || ${t.notes}`);
}
console.log({ ok, unsafe, lost, total: lines.length });
