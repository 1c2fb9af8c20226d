import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Client, Msp, RunbookFile, World } from './world';

/** Where the demo world lives: SANDBOX_SEED_DIR, else the copy shipped in sandbox/seed/demo-msp. */
export function defaultSeedDir(): string {
  if (process.env.SANDBOX_SEED_DIR) return resolve(process.env.SANDBOX_SEED_DIR);
  // Works from src/core (ts, jest) and dist/core (built): both are two levels below sandbox/.
  return resolve(__dirname, '..', '..', 'seed', 'demo-msp');
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Reads msp.json, the client files (in `clientFiles` order), every runbook and the training tickets. */
export function loadWorld(dir: string = defaultSeedDir()): World {
  if (!existsSync(join(dir, 'msp.json'))) throw new Error(`demo world not found: ${dir}/msp.json`);
  const msp = readJson<Msp>(join(dir, 'msp.json'));
  const clients: Client[] = msp.clientFiles.map((file) => {
    const raw = readJson<Omit<Client, 'slug'>>(join(dir, file));
    return { ...raw, slug: basename(file, '.json') };
  });
  const runbooks: RunbookFile[] = [];
  const rbDir = join(dir, 'runbooks');
  if (existsSync(rbDir)) {
    for (const folder of readdirSync(rbDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      for (const fileName of readdirSync(join(rbDir, folder)).filter((f) => f.endsWith('.md')).sort()) {
        runbooks.push({ folder, fileName, text: readFileSync(join(rbDir, folder, fileName), 'utf8') });
      }
    }
  }
  const ticketsPath = join(dir, 'training-tickets.jsonl');
  const trainingTickets = existsSync(ticketsPath)
    ? readFileSync(ticketsPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
  return { msp, clients, runbooks, trainingTickets };
}
