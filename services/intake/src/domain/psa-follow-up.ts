import type { InboundTicket, TicketReplyV1 } from '@desk/contracts';
import type { PsaNote, PsaTicket } from '@desk/adapters';
import type { PsaCallback } from './psa-webhooks';

/** What intake remembers about a PSA ticket it already handed to the pipeline. */
export interface PsaLinkState {
  deskTicketId: string;
  clientIdentifier: string | null;
  lastStatus: string | null;
  seenNoteIds: string[];
}

export type ReplyInput = Omit<TicketReplyV1, 'fromPhone' | 'fromMember' | 'status'> & {
  fromPhone?: string | null;
  fromMember?: string | null;
  status?: string | null;
};

export type PsaFollowUp =
  | { kind: 'ignore'; reason: string; lastStatus: string | null; seenNoteIds: string[] }
  | { kind: 'new'; ticket: InboundTicket; lastStatus: string | null; seenNoteIds: string[] }
  | { kind: 'replies'; replies: ReplyInput[]; lastStatus: string | null; seenNoteIds: string[] };

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * PSAs spell a member differently (ConnectWise "L1Agent", Halo the e-mail's local part "l1-agent",
 * Autotask a user name or e-mail): compare letters and digits only, the e-mail's local part included.
 */
export function sameMember(who: string | null | undefined, identifier: string): boolean {
  if (!who) return false;
  const key = (s: string) => s.split('@')[0]!.toLowerCase().replace(/[^a-z0-9]/g, '');
  return key(who) !== '' && key(who) === key(identifier);
}

/**
 * Turns a callback plus the freshly fetched ticket into pipeline events. The desk's own writes (made as
 * the agent member) are never echoed back, so the loop does not feed itself.
 */
export function decidePsaFollowUp(input: {
  callback: PsaCallback;
  ticket: PsaTicket;
  notes: PsaNote[];
  link: PsaLinkState | null;
  agentIdentifier: string;
  /** Vendor ids that stand for the agent (Autotask resource id, Halo agent id), besides its identifier. */
  agentAliases?: string[];
  /**
   * Statuses the desk itself sets. When the vendor does not say who changed the status (no actor), a move
   * to one of these is taken as the desk's own write and not echoed back.
   */
  deskStatuses?: string[];
  /** The PSA ticket was opened by the desk (psa-writer) and its link has not reached intake yet. */
  createdByDesk?: boolean;
  rawRef: string;
  now: Date;
}): PsaFollowUp {
  const { callback, ticket, notes, link } = input;
  const allNoteIds = notes.map((n) => n.id);
  const isAgent = (who: string | null | undefined) =>
    [input.agentIdentifier, ...(input.agentAliases ?? [])].some((a) => sameMember(who, a));
  const byAgent = isAgent(callback.actor);

  if (callback.action === 'deleted') return { kind: 'ignore', reason: 'ticket deleted in the PSA', lastStatus: link?.lastStatus ?? ticket.status, seenNoteIds: link?.seenNoteIds ?? allNoteIds };

  if (!link) {
    // Not "created by the agent member": PSAs attribute every API write to the integration's member, so
    // the desk's own tickets are recognised by their link (input.createdByDesk), not by the actor.
    if (input.createdByDesk) return { kind: 'ignore', reason: 'created by the desk itself', lastStatus: ticket.status, seenNoteIds: allNoteIds };
    if (ticket.closed) return { kind: 'ignore', reason: 'ticket is already closed', lastStatus: ticket.status, seenNoteIds: allNoteIds };
    return {
      kind: 'new',
      lastStatus: ticket.status,
      seenNoteIds: allNoteIds,
      ticket: {
        channel: 'psa_webhook',
        psa: { system: callback.system, id: ticket.id, number: ticket.number ?? callback.ticketNumber },
        clientIdentifier: ticket.companyIdentifier,
        summary: ticket.summary,
        description: ticket.description,
        fromEmail: ticket.contact?.email ?? ticket.reportedByEmail ?? null,
        fromName: ticket.contact?.name ?? null,
        contactId: ticket.contact?.id ?? null,
        receivedAt: input.now.toISOString(),
        attachments: [],
        alert: null,
        rawRef: input.rawRef,
      },
    };
  }

  const replies: ReplyInput[] = [];
  const psa = { system: callback.system, id: ticket.id, number: ticket.number ?? callback.ticketNumber };
  const statusChanged = ticket.status !== null && !same(ticket.status, link.lastStatus);
  // A move to a status the desk itself sets is its own write unless a human member is named; any other
  // status ("Approved", "Cancelled"...) is a person's decision, whatever member the PSA attributes it to.
  const deskStatus = (input.deskStatuses ?? []).some((d) => same(d, ticket.status));
  const humanActor = !!callback.actor && !byAgent;
  if (statusChanged && (!deskStatus || humanActor)) {
    replies.push({
      psa, channel: 'psa_webhook', kind: 'status_change', fromEmail: null, fromMember: callback.actor,
      body: `Status changed to "${ticket.status}"`, status: ticket.status, receivedAt: input.now.toISOString(),
    });
  }
  const seen = new Set(link.seenNoteIds);
  for (const note of notes) {
    if (seen.has(note.id) || isAgent(note.createdBy)) continue;
    // Contacts appear as an e-mail, their name, Autotask's "contact:<id>" or Halo's end-user marker "user".
    const by = note.createdBy ?? '';
    const fromContact = by.includes('@') || by.startsWith('contact:') || by === 'user' || same(by, ticket.contact?.name) || same(by, ticket.contact?.email);
    replies.push({
      psa, channel: 'psa_webhook', kind: 'message',
      fromEmail: fromContact ? (by.includes('@') ? by : ticket.contact?.email ?? null) : null,
      fromMember: fromContact || !by ? null : by,
      body: note.text, status: null, receivedAt: input.now.toISOString(),
    });
  }
  const next = { lastStatus: ticket.status, seenNoteIds: [...new Set([...link.seenNoteIds, ...allNoteIds])] };
  if (replies.length === 0) return { kind: 'ignore', reason: byAgent ? 'update made by the desk itself' : 'nothing new on the ticket', ...next };
  return { kind: 'replies', replies, ...next };
}
