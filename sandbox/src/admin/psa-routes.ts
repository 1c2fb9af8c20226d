import type { Router } from 'express';
import type { SandboxContext } from '../core/context';
import type { Contact } from '../core/world';
import { Kinds } from '../core/seed';
import { createCwTicket } from '../vendors/connectwise/tickets';
import { TICKET_KIND as HALO_TICKET_KIND, upsertHaloTicket } from '../vendors/halopsa/tickets';
import { fireHaloWebhooks } from '../vendors/halopsa/webhooks';
import { createAtTicket } from '../vendors/autotask/tickets';
import { queuePicklist, statusPicklist } from '../vendors/autotask/picklists';

interface PortalTicket { clientIdentifier?: unknown; summary?: unknown; description?: unknown; contactEmail?: unknown; board?: unknown }

/**
 * `POST /admin/psa/:system/tickets` creates a ticket the way a client would (portal, email connector):
 * through the vendor's own create path, so that vendor's registered webhooks fire. Returns the vendor record.
 */
export function psaAdminRoutes(ctx: SandboxContext) {
  return (r: Router) => {
    r.post('/psa/:system/tickets', async (req, res) => {
      const b = (req.body ?? {}) as PortalTicket;
      if (typeof b.clientIdentifier !== 'string' || typeof b.summary !== 'string') {
        return void res.status(400).json({ message: 'clientIdentifier and summary are required' });
      }
      const client = (await ctx.store.list<{ id: number; identifier: string }>(Kinds.client)).find((c) => c.identifier.toLowerCase() === String(b.clientIdentifier).toLowerCase());
      if (!client) return void res.status(404).json({ message: `no client ${String(b.clientIdentifier)}` });
      const contact = typeof b.contactEmail === 'string'
        ? (await ctx.store.list<Contact>(Kinds.contact, { client: client.identifier })).find((c) => c.email.toLowerCase() === String(b.contactEmail).toLowerCase()) ?? null
        : null;
      const description = typeof b.description === 'string' ? b.description : '';
      const board = typeof b.board === 'string' ? b.board : 'Service Desk';
      switch (req.params.system) {
        case 'connectwise': {
          const t = await createCwTicket(ctx, {
            summary: b.summary, company: { identifier: client.identifier }, board: { name: board }, initialDescription: description || undefined,
            contact: contact ? { id: contact.id } : undefined, contactEmailAddress: contact ? undefined : b.contactEmail, source: { id: 3, name: 'Portal' },
          }, 'Portal');
          return 'field' in t ? void res.status(400).json(t) : void res.status(201).json(t);
        }
        case 'halopsa': {
          const t = await upsertHaloTicket(ctx, { summary: b.summary, details: description, client_id: client.id, user_id: contact?.id, team: board, source: 2, reportedby: b.contactEmail ?? null });
          if (typeof t === 'string') return void res.status(400).json({ message: t });
          const fresh = (await ctx.store.get<Record<string, unknown>>(HALO_TICKET_KIND, String(t.ticket.id))) ?? t.ticket;
          res.status(201).json(fresh);
          return void fireHaloWebhooks(ctx, 'New Ticket Logged', fresh);
        }
        case 'autotask': {
          const status = (await statusPicklist(ctx)).find((s) => s.isDefault)?.value ?? 1;
          const queueID = (await queuePicklist(ctx)).find((q) => q.label.toLowerCase() === board.toLowerCase())?.value ?? null;
          const t = await createAtTicket(ctx, { companyID: client.id, title: b.summary, description, status, priority: 3, queueID, contactID: contact?.id ?? null, createdByContactID: contact?.id ?? null, source: 2 });
          return typeof t === 'string' ? void res.status(400).json({ message: t }) : void res.status(201).json(t);
        }
        default:
          return void res.status(404).json({ message: `unknown PSA ${req.params.system}` });
      }
    });
  };
}
