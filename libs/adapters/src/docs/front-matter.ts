import type { DocsDocument } from './docs-client';

/**
 * The YAML automation header of a runbook, wherever the docs system keeps it: the front matter of a Markdown
 * file, the first `<pre>` block of an IT Glue / Hudu page, or the first `code` macro of a Confluence page
 * (fences `---` included in both). Null when the document has none. Returns the YAML between the fences.
 */
export function frontMatterOf(doc: Pick<DocsDocument, 'body' | 'bodyFormat'>): string | null {
  let block: string | null;
  if (doc.bodyFormat === 'markdown') block = doc.body.replace(/\r\n/g, '\n');
  else if (doc.bodyFormat === 'html') {
    const m = /^\s*<pre[^>]*>(?:<code[^>]*>)?([\s\S]*?)(?:<\/code>)?<\/pre>/i.exec(doc.body);
    block = m ? decodeEntities(m[1]) : null;
  } else {
    const m = /^\s*<ac:structured-macro[^>]*ac:name="code"[^>]*>[\s\S]*?<ac:plain-text-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-body>/.exec(doc.body);
    block = m ? m[1] : null;
  }
  if (!block) return null;
  const fm = /^---\n([\s\S]*?\n)?---\s*(?:\n|$)/.exec(block.trimStart());
  return fm ? fm[1] ?? '' : null;
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
