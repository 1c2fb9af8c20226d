import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InboundTicket } from '@desk/contracts';
import { parse } from 'yaml';
import { loadSeedDirectories } from '../src/adapters/seed-directory';
import { TextClassifier } from '../src/domain/classifier/model';
import { parsePolicyDocument } from '../src/domain/policy/policy';

export const ROOT = join(__dirname, '..', '..', '..');
export const WORLD = loadSeedDirectories(join(ROOT, 'sandbox', 'seed', 'demo-msp'));
export const MODEL = TextClassifier.fromJson(JSON.parse(readFileSync(join(ROOT, 'services', 'triage', 'model', 'triage-model.json'), 'utf8')));
export const SHIPPED_POLICY = parsePolicyDocument(parse(readFileSync(join(ROOT, 'config', 'policy.yaml'), 'utf8')));

/** A ticket as intake would hand it over (Monday 10:00 Chicago unless said otherwise). */
export function ticket(over: Partial<InboundTicket> & { summary: string; description: string }): InboundTicket {
  return {
    channel: 'email', psa: null, clientIdentifier: null, fromEmail: null, fromName: null, contactId: null,
    receivedAt: '2026-11-30T16:00:00Z', attachments: [], alert: null, rawRef: null, ...over,
  };
}

export const id = (): string => randomUUID();
