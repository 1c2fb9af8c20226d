import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TicketCategory } from '@desk/contracts';
import { LabeledTicket } from '../src/domain/classifier/train';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const DATA_DIR = join(REPO_ROOT, 'data', 'triage');
export const MODEL_PATH = join(REPO_ROOT, 'services', 'triage', 'model', 'triage-model.json');
export const SHARED_DATASET = join(REPO_ROOT, '..', 'shared', 'datasets', 'it-service-tickets');

export interface DemoTicket extends LabeledTicket {
  clientIdentifier: string;
  channel: string;
  fromEmail: string;
  affectedUpn: string | null;
  expected: 'autonomous' | 'escalate';
  source: 'l1' | 'demo';
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The repo's own L1 examples and the demo world's labeled tickets, in a fixed order. */
export function loadTrainingData(): DemoTicket[] {
  const l1 = readJsonl(join(DATA_DIR, 'l1-examples.jsonl')).map((r) => ({
    id: String(r.id), group: String(r.group), summary: String(r.summary), description: String(r.description),
    category: TicketCategory.parse(r.category), clientIdentifier: '', channel: String(r.channel), fromEmail: '',
    affectedUpn: null, expected: 'autonomous' as const, source: 'l1' as const,
  }));
  const demo = readJsonl(join(DATA_DIR, 'demo-training-tickets.jsonl')).map((r) => ({
    id: String(r.id), summary: String(r.summary), description: String(r.description), category: TicketCategory.parse(r.category),
    clientIdentifier: String(r.clientIdentifier), channel: String(r.channel), fromEmail: String(r.fromEmail),
    affectedUpn: (r.affectedUpn as string | null) ?? null, expected: r.expected === 'escalate' ? ('escalate' as const) : ('autonomous' as const),
    source: 'demo' as const,
  }));
  return [...l1, ...demo];
}

/** Says plainly whether the shared 47k-ticket dataset is there and what we do with it. */
export function describeSharedDataset(): string {
  if (!existsSync(join(SHARED_DATASET, 'all_tickets_processed_improved_v3.csv'))) {
    return 'shared dataset ../shared/datasets/it-service-tickets: absent - skipped';
  }
  return 'shared dataset ../shared/datasets/it-service-tickets: present - not used for training (8 coarse labels that do not map to the 17 categories; text is stop-word-stripped, so its n-grams do not match live tickets)';
}
