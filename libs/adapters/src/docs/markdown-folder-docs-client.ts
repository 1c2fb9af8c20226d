import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { VendorNotFoundError } from '../http/errors';
import { assertScope } from './docs-common';
import type { DocsClient, DocsDocument } from './docs-client';

/**
 * For MSPs without a documentation system: a folder of Markdown runbooks (front matter included), one folder
 * per scope (a client's, or the MSP's global one). Ids are paths relative to the folder; `updatedAt` is the
 * file's modification time; the title comes from the front matter or the first heading.
 */
export class MarkdownFolderDocsClient implements DocsClient {
  readonly system = 'markdown' as const;
  private readonly root: string;

  constructor(folder: string, private readonly clientIdentifier: string | null) {
    this.root = resolve(folder);
  }

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    assertScope('markdown', this.clientIdentifier, scope.clientIdentifier);
    const since = scope.updatedSince ? Date.parse(scope.updatedSince) : null;
    for (const id of await this.files()) {
      const doc = await this.getDocument(id);
      if (since === null || Date.parse(doc.updatedAt) >= since) yield doc;
    }
  }

  async listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]> {
    assertScope('markdown', this.clientIdentifier, scope.clientIdentifier);
    return this.files();
  }

  async getDocument(id: string): Promise<DocsDocument> {
    const path = resolve(this.root, id);
    // Ids come from callers: never read outside the folder.
    if (!path.startsWith(this.root + sep) || !path.endsWith('.md')) throw new VendorNotFoundError(`markdown document ${id} is outside the folder`, 'markdown', 404, null);
    let text: string;
    let mtime: Date;
    try {
      [text, mtime] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtime)]);
    } catch {
      throw new VendorNotFoundError(`markdown document ${id} not found`, 'markdown', 404, null);
    }
    return { id, title: titleOf(text) ?? id.replace(/\.md$/, ''), body: text, bodyFormat: 'markdown', updatedAt: mtime.toISOString(), url: null, clientIdentifier: this.clientIdentifier };
  }

  private async files(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.name.startsWith('.')) continue;
        if (e.isDirectory()) await walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
        else if (e.isFile() && e.name.endsWith('.md')) out.push(rel ? `${rel}/${e.name}` : e.name);
      }
    };
    await walk(this.root, '');
    return out.sort();
  }
}

function titleOf(text: string): string | null {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const t = fm ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(fm[1]) : null;
  if (t) return t[1];
  return /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? null;
}
