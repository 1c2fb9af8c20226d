import { DocsConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { ConfluenceDocsClient } from './confluence-docs-client';
import { DocsClient } from './docs-client';
import { HuduDocsClient } from './hudu-docs-client';
import { ItGlueDocsClient } from './itglue-docs-client';
import { MarkdownFolderDocsClient } from './markdown-folder-docs-client';

/** The docs adapter of one scope (a client, or the MSP's global documents when `clientIdentifier` is null). */
export function createDocsClient(conn: DocsConnection, clientIdentifier: string | null, observe?: VendorCallObserver): DocsClient {
  switch (conn.system) {
    case 'itglue':
      return new ItGlueDocsClient(conn, clientIdentifier, { observe });
    case 'hudu':
      return new HuduDocsClient(conn, clientIdentifier, { observe });
    case 'confluence':
      return new ConfluenceDocsClient(conn, clientIdentifier, { observe });
    case 'markdown':
      return new MarkdownFolderDocsClient(conn.folder, clientIdentifier);
  }
}
