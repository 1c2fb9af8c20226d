import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { Kinds } from '../../core/seed';
import { CW_API_MEMBER, type Doc, invalid, listResponse, countResponse, memberRef, notFound, nowIso, refKey } from './common';
import { TICKET_KIND, TIME_KIND, addNote } from './tickets';

const BILLABLE = ['Billable', 'DoNotBill', 'NoCharge', 'NoDefault'];

/** A reference (`{id}` or `{name}`) to a seeded record: the stored `{id, name}`, null when absent, 'unknown' when it names nothing. */
async function namedRef(ctx: SandboxContext, kind: string, ref: unknown): Promise<Doc | null | 'unknown'> {
  const key = refKey(ref);
  if (!key) return null;
  const rows = await ctx.store.list<{ id: number; name: string }>(kind);
  const hit = rows.find((r) => (key.id !== undefined ? r.id === Number(key.id) : r.name.toLowerCase() === String(key.name ?? '').toLowerCase()));
  return hit ? { id: hit.id, name: hit.name } : 'unknown';
}

/** `/time/entries`: time charged to a ticket (and, with the add-to flags, mirrored as a ticket note). */
export function timeRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  r.get('/time/entries', async (req, res) => listResponse(req, res, await ctx.store.list<Doc>(TIME_KIND)));
  r.get('/time/entries/count', async (req, res) => countResponse(req, res, await ctx.store.list<Doc>(TIME_KIND)));
  r.get('/time/entries/:id', async (req, res) => {
    const t = await ctx.store.get<Doc>(TIME_KIND, req.params.id);
    return t ? void res.json(t) : notFound(res, 'TimeEntry', req.params.id);
  });
  r.post('/time/entries', async (req, res) => {
    const b = (req.body ?? {}) as Doc;
    if (typeof b.timeStart !== 'string' || Number.isNaN(Date.parse(b.timeStart))) return invalid(res, 'timeEntry', 'timeStart', 'The timeStart field is required.');
    const chargeToType = typeof b.chargeToType === 'string' ? b.chargeToType : 'ServiceTicket';
    const ticket = chargeToType === 'ServiceTicket' ? await ctx.store.get<Doc>(TICKET_KIND, String(b.chargeToId)) : null;
    if (chargeToType === 'ServiceTicket' && !ticket) return invalid(res, 'timeEntry', 'chargeToId', `Ticket ${String(b.chargeToId)} not found.`);
    const mk = refKey(b.member);
    const ident = mk?.identifier ?? (mk?.id !== undefined ? (await ctx.store.list<{ identifier: string }>(Kinds.member, { where: { id: mk.id } }))[0]?.identifier : CW_API_MEMBER);
    const member = await memberRef(ctx, ident);
    if (!member) return invalid(res, 'timeEntry', 'member', 'Member not found.');
    const end = typeof b.timeEnd === 'string' && !Number.isNaN(Date.parse(b.timeEnd)) ? b.timeEnd : null;
    const hours = typeof b.actualHours === 'number' ? b.actualHours : end ? Math.round(((Date.parse(end) - Date.parse(b.timeStart)) / 3_600_000) * 100) / 100 : 0;
    const billableOption = typeof b.billableOption === 'string' && BILLABLE.includes(b.billableOption) ? b.billableOption : 'Billable';
    const workType = await namedRef(ctx, Kinds.workType, b.workType);
    if (workType === 'unknown') return invalid(res, 'timeEntry', 'workType', 'Work type not found.');
    let agreement: Doc | null = null;
    if (b.agreement !== undefined && b.agreement !== null) {
      const key = refKey(b.agreement);
      const a = key?.id !== undefined ? await ctx.store.get<Doc>(Kinds.agreement, String(key.id)) : null;
      if (!a) return invalid(res, 'timeEntry', 'agreement', 'Agreement not found.');
      // The vendor only lets time be applied to an agreement of the ticket's company.
      if (ticket && a.clientIdentifier !== (ticket.company as Doc).identifier) return invalid(res, 'timeEntry', 'agreement', 'Agreement does not belong to the company charged.');
      agreement = { id: a.id, name: a.name, type: a.type };
    }
    // Time applied to an agreement that covers time counts against it, not on a separate invoice line.
    const agreementHours = agreement && billableOption !== 'DoNotBill' ? hours : 0;
    const id = await ctx.store.nextId(TIME_KIND);
    const entry: Doc = {
      id, company: ticket?.company ?? null, chargeToId: Number(b.chargeToId), chargeToType, member, locationId: 1, businessUnitId: 1,
      workType: workType ?? { id: 1, name: 'Remote Support' }, workRole: (b.workRole as Doc | undefined) ?? null,
      agreement, agreementHours, timeStart: b.timeStart, timeEnd: end, actualHours: hours, billableOption,
      notes: typeof b.notes === 'string' ? b.notes : null, internalNotes: typeof b.internalNotes === 'string' ? b.internalNotes : null,
      addToDetailDescriptionFlag: b.addToDetailDescriptionFlag === true, addToInternalAnalysisFlag: b.addToInternalAnalysisFlag === true,
      addToResolutionFlag: b.addToResolutionFlag === true, hoursBilled: billableOption === 'Billable' ? hours : 0, dateEntered: nowIso(),
      ticket: ticket ? { id: ticket.id, summary: ticket.summary } : null, _info: { lastUpdated: nowIso(), updatedBy: ident },
    };
    await ctx.store.put(TIME_KIND, String(id), entry, ticket ? String((ticket.company as Doc).identifier) : null);
    if (ticket && entry.notes && (entry.addToDetailDescriptionFlag || entry.addToInternalAnalysisFlag || entry.addToResolutionFlag)) {
      await addNote(ctx, ticket, {
        text: entry.notes, detailDescriptionFlag: entry.addToDetailDescriptionFlag, internalAnalysisFlag: entry.addToInternalAnalysisFlag,
        resolutionFlag: entry.addToResolutionFlag, member: { identifier: ident },
      });
    }
    res.status(201).json(entry);
  });
  return r;
}
