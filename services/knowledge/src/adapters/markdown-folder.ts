import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DocsClient, DocsDocument } from '@desk/adapters';

/**
 * The "local folder of Markdown" docs system: one file per document, below one folder per scope.
 * Ids are the path below the folder, prefixed so they stay readable in resolutions ("contoso-dental/vpn.md").
 */
export class MarkdownFolderDocsClient implements DocsClient {
  readonly system = 'markdown' as const;

  constructor(
    private readonly folder: string,
    private readonly clientIdentifier: string | null,
    private readonly idPrefix = '',
  ) {}

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    this.checkScope(scope.clientIdentifier);
    const since = scope.updatedSince ? Date.parse(scope.updatedSince) : null;
    for (const file of await this.files()) {
      const st = await stat(file);
      if (since !== null && st.mtime.getTime() <= since) continue;
      yield await this.read(file, st.mtime);
    }
  }

  async listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]> {
    this.checkScope(scope.clientIdentifier);
    return (await this.files()).map((f) => this.idOf(f));
  }

  async getDocument(id: string): Promise<DocsDocument> {
    if (!id.startsWith(this.idPrefix)) throw new Error(`document ${id} is not in ${this.folder}`);
    const rel = id.slice(this.idPrefix.length);
    if (rel.split('/').includes('..')) throw new Error(`invalid document id ${id}`);
    const file = join(this.folder, ...rel.split('/'));
    return this.read(file, (await stat(file)).mtime);
  }

  private checkScope(clientIdentifier: string | null): void {
    if ((clientIdentifier ?? null) !== this.clientIdentifier) {
      throw new Error(`this folder serves ${this.clientIdentifier ?? 'the global scope'}, not ${clientIdentifier ?? 'the global scope'}`);
    }
  }

  private idOf(file: string): string {
    return this.idPrefix + relative(this.folder, file).split(sep).join('/');
  }

  private async read(file: string, mtime: Date): Promise<DocsDocument> {
    const body = await readFile(file, 'utf8');
    const title = /^title:\s*"?(.+?)"?\s*$/m.exec(body)?.[1] ?? /^#\s+(.+)$/m.exec(body)?.[1] ?? this.idOf(file);
    return {
      id: this.idOf(file), title, body, bodyFormat: 'markdown', updatedAt: mtime.toISOString(), url: null,
      clientIdentifier: this.clientIdentifier,
    };
  }

  private async files(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && e.name.toLowerCase().endsWith('.md')) out.push(p);
      }
    };
    await walk(this.folder);
    return out;
  }
}
