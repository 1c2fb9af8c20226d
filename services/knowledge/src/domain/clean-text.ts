import { compile, HtmlToTextOptions, FormatCallback } from 'html-to-text';

export type BodyFormat = 'html' | 'storage' | 'markdown';

/**
 * Headings are written as Markdown `#` lines so that every source (HTML, Confluence storage, Markdown)
 * ends up in one shape: section extraction and the heading weight in search then work the same way.
 */
const heading: FormatCallback = (elem, walk, builder, formatOptions) => {
  const level = Number((formatOptions as { level?: number }).level ?? 2);
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addInline(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

/** Preformatted blocks are fenced, so a YAML header a docs system shows as code stays recognisable. */
const fencedPre: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral('```');
  builder.closeBlock({ trailingLineBreaks: 1 });
  builder.openBlock({ isPre: true, leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addLiteral('```');
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  preserveNewlines: false,
  formatters: { mdHeading: heading, fencedPre },
  selectors: [
    ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: 'mdHeading', options: { level } })),
    { selector: 'pre', format: 'fencedPre' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'table', format: 'dataTable' },
  ],
};

// Compiled once: html-to-text rebuilds its selector machinery on every convert() call otherwise (~5 ms a page).
const convertHtml = compile(OPTIONS);

/** Confluence storage format: CDATA (code macros) would be dropped as comments by an HTML parser. */
function storageToHtml(storage: string): string {
  return storage
    .replace(/<ac:parameter\b[^>]*>[\s\S]*?<\/ac:parameter>/gi, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, inner: string) => `<pre>${escapeHtml(inner)}</pre>`)
    .replace(/<ac:plain-text-body\b[^>]*>/gi, '')
    .replace(/<\/ac:plain-text-body>/gi, '');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Vendor body → clean plain text with `#` headings kept. Never throws on malformed markup. */
export function toCleanText(body: string, format: BodyFormat): string {
  if (format === 'markdown') return tidy(body);
  const html = format === 'storage' ? storageToHtml(body) : body;
  return tidy(convertHtml(html));
}
