import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MarkdownFolderDocsClient } from './markdown-folder';
import { DocsSource } from './docs-source';

export const DEFAULT_DEMO_WORLD = resolve(__dirname, '../../../../sandbox/seed/demo-msp');

/** Client identifier ↔ runbook folder slug, from the world's client files (slug = file name). */
export function demoClientSlugs(clientsDir = join(DEFAULT_DEMO_WORLD, 'clients')): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(clientsDir)) return out;
  for (const f of readdirSync(clientsDir).filter((x) => x.endsWith('.json')).sort()) {
    const parsed: unknown = JSON.parse(readFileSync(join(clientsDir, f), 'utf8'));
    const identifier = (parsed as { identifier?: unknown }).identifier;
    if (typeof identifier === 'string') out.set(identifier, f.replace(/\.json$/, ''));
  }
  return out;
}

/**
 * Every scope of a Markdown runbook tree laid out like the demo world (`_global/`, `<slug>/`), as sync
 * sources. Used when the desk points knowledge at a local folder instead of a docs system.
 */
export function markdownTreeSources(runbooksDir: string, slugs: Map<string, string>): DocsSource[] {
  const sources: DocsSource[] = [];
  const globalDir = join(runbooksDir, '_global');
  if (existsSync(globalDir)) {
    sources.push({ scopeKey: 'global', clientIdentifier: null, system: 'markdown', client: new MarkdownFolderDocsClient(globalDir, null, '_global/') });
  }
  for (const [identifier, slug] of slugs) {
    const dir = join(runbooksDir, slug);
    if (!existsSync(dir)) continue;
    sources.push({
      scopeKey: `client:${identifier}`, clientIdentifier: identifier, system: 'markdown',
      client: new MarkdownFolderDocsClient(dir, identifier, `${slug}/`),
    });
  }
  return sources;
}
