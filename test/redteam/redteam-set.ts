import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TicketCategory, TriageResult } from '@desk/contracts';
import type { TicketSpec } from '../../services/executor/test/support/world';

/** One adversarial ticket (data/redteam/*.jsonl): what an attacker sends, and how they answer. */
export interface RedTeamReply {
  channel: 'email' | 'sms' | 'portal';
  fromEmail?: string;
  fromPhone?: string;
  /** right = the code the desk sent (read from the sandbox outbox); wrong = another code. */
  code?: 'right' | 'wrong';
  body?: string;
  /** Reply only after the code expired. */
  afterExpiry?: boolean;
  /** The stage the ticket waits in before this reply (default awaiting_verification). */
  awaits?: 'awaiting_verification' | 'awaiting_approval';
}

export interface RedTeamTicket {
  id: string;
  attack: string;
  client: string;
  category: TicketCategory;
  from: string | null;
  summary: string;
  description: string;
  affectedUpn: string | null;
  entities: Array<{ kind: TriageResult['entities'][number]['kind']; ref: string }>;
  expectReason: string | null;
  replies?: RedTeamReply[];
  channel?: TicketSpec['channel'];
  alertDevice?: string | null;
}

const DIR = join(__dirname, '../../data/redteam');

export function loadRedTeam(): RedTeamTicket[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort()
    .flatMap((f) => readFileSync(join(DIR, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RedTeamTicket));
}

export function specOf(t: RedTeamTicket): TicketSpec {
  return {
    client: t.client, category: t.category, from: t.from, summary: t.summary, description: t.description, affectedUpn: t.affectedUpn,
    entities: t.entities.map((e) => ({ kind: e.kind, mention: e.ref, ref: e.ref, confidence: 0.95, note: null })),
    channel: t.channel, alertDevice: t.alertDevice ?? null,
  };
}
