import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { TicketCategory } from '@desk/contracts';
import { Example } from '../persistence/example-store';

const Line = z.object({ id: z.string().min(1), category: TicketCategory, summary: z.string(), description: z.string() });

/** Labelled tickets from a JSON Lines file (the demo world's training tickets); bad lines are skipped. */
export function readExamplesFile(path: string): Example[] {
  if (!existsSync(path)) return [];
  const out: Example[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const r = Line.safeParse(raw);
    if (r.success) out.push({ id: `seed:${r.data.id}`, category: r.data.category, origin: 'seed', text: `${r.data.summary}\n${r.data.description}` });
  }
  return out;
}
