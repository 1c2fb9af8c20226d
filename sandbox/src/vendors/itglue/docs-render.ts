import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';

/**
 * Rendering of a runbook (Markdown with a YAML front matter block) the way each docs system stores it.
 * Shared by the IT Glue, Hudu and Confluence modules of the sandbox.
 *
 * The front matter is kept in the document, because that is where an MSP keeps the automation header
 * when its docs tool has no custom fields for it: as the first block of the page, a preformatted block
 * (`<pre>` in IT Glue and Hudu, the `code` macro with language `yaml` in Confluence), fences included.
 */
const html = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Confluence storage format is XHTML: void elements must be closed (<br />, <hr />).
const xhtml = new MarkdownIt({ html: false, linkify: false, typographer: false, xhtmlOut: true });

export interface SplitRunbook {
  /** The YAML between the fences, or null when the text has no front matter. */
  frontMatter: string | null;
  body: string;
}

export function splitFrontMatter(text: string): SplitRunbook {
  const normalized = text.replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return { frontMatter: null, body: normalized };
  const end = normalized.indexOf('\n---', 4);
  if (end < 0) return { frontMatter: null, body: normalized };
  const after = normalized.indexOf('\n', end + 4);
  return { frontMatter: normalized.slice(4, end + 1), body: after < 0 ? '' : normalized.slice(after + 1) };
}

export interface RunbookMeta {
  title: string | null;
  updated: string | null;
}

export function runbookMeta(text: string): RunbookMeta {
  const { frontMatter, body } = splitFrontMatter(text);
  let title: string | null = null;
  let updated: string | null = null;
  if (frontMatter) {
    try {
      const fm = parseYaml(frontMatter) as Record<string, unknown> | null;
      if (fm && typeof fm.title === 'string') title = fm.title;
      if (fm && (typeof fm.updated === 'string' || fm.updated instanceof Date)) updated = String(fm.updated instanceof Date ? fm.updated.toISOString().slice(0, 10) : fm.updated);
    } catch {
      // A broken header is served as written; the desk reports it, the sandbox does not fix it.
    }
  }
  if (!title) title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? null;
  return { title, updated };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** IT Glue and Hudu: HTML, front matter first as a `<pre>` block. */
export function toHtml(text: string): string {
  const { frontMatter, body } = splitFrontMatter(text);
  const head = frontMatter === null ? '' : `<pre>---\n${escapeHtml(frontMatter)}---</pre>\n`;
  return head + html.render(body);
}

/** Confluence storage format: XHTML, front matter first in a `code` macro (language yaml). */
export function toStorage(text: string): string {
  const { frontMatter, body } = splitFrontMatter(text);
  const head = frontMatter === null
    ? ''
    : '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">yaml</ac:parameter>'
      + `<ac:plain-text-body><![CDATA[---\n${frontMatter.replace(/]]>/g, ']]]]><![CDATA[>')}---]]></ac:plain-text-body></ac:structured-macro>\n`;
  return head + xhtml.render(body);
}
