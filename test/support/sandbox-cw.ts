/**
 * The sandbox's ConnectWise as a test drives it: register intake's callback, create tickets (the sandbox
 * then delivers the callback to intake's webhook), and read what the desk wrote back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CW = '/cw/v4_6_release/apis/3.0';
const HEADERS = {
  'content-type': 'application/json',
  authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`,
  clientId: '00000000-0000-4000-8000-00000000c0de',
};
const CW_CLIENTS = new Set(['ContosoDental', 'WhitfieldCrane', 'AlderBrooksCPA']);

export interface TicketTemplate { clientIdentifier: string; summary: string; description: string; fromEmail: string | null }

export function cwTicketTemplates(root: string): TicketTemplate[] {
  return readFileSync(join(root, 'sandbox/seed/demo-msp/training-tickets.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as TicketTemplate)
    .filter((t) => CW_CLIENTS.has(t.clientIdentifier) && t.summary && t.description);
}

export async function cw<T>(sandboxUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandboxUrl}${CW}${path}`, { method, headers: HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function registerIntakeCallback(sandboxUrl: string, intakeUrl: string): Promise<void> {
  await cw(sandboxUrl, 'POST', '/system/callbacks', { url: `${intakeUrl}/webhooks/connectwise`, objectId: 1, type: 'Ticket', level: 'Owner', description: 'desk e2e' });
}

export async function createCwTicket(sandboxUrl: string, t: TicketTemplate): Promise<number> {
  const ticket = await cw<{ id: number }>(sandboxUrl, 'POST', '/service/tickets', {
    summary: t.summary.slice(0, 100), company: { identifier: t.clientIdentifier }, initialDescription: t.description,
    contactEmailAddress: t.fromEmail, contactName: t.fromEmail?.split('@')[0] ?? null,
  });
  return ticket.id;
}
