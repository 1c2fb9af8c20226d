import { splitFrontMatter, runbookMeta, toHtml, toStorage } from '../../src/vendors/itglue/docs-render';
import { sectionsOf } from '../../src/vendors/itglue/itglue';

const RUNBOOK = '---\ntitle: "Print <queue> & spooler"\ncategory: printer\nupdated: "2026-07-22"\n---\n\n# Print queue\n\n## Steps\n1. Clear it.\n\nLine<br>\n';

describe('runbook rendering for the docs vendors', () => {
  it('splits the front matter and reads title and updated', () => {
    expect(splitFrontMatter(RUNBOOK).frontMatter).toBe('title: "Print <queue> & spooler"\ncategory: printer\nupdated: "2026-07-22"\n');
    expect(runbookMeta(RUNBOOK)).toEqual({ title: 'Print <queue> & spooler', updated: '2026-07-22' });
    expect(runbookMeta('# Only a heading\n')).toEqual({ title: 'Only a heading', updated: null });
  });

  it('puts the escaped front matter in a leading <pre> and keeps headings (HTML)', () => {
    const html = toHtml(RUNBOOK);
    expect(html.startsWith('<pre>---\ntitle: "Print &lt;queue&gt; &amp; spooler"\n')).toBe(true);
    expect(html).toContain('---</pre>\n<h1>Print queue</h1>');
    expect(html).toContain('<h2>Steps</h2>');
    // Raw HTML inside the Markdown is escaped, never passed through.
    expect(html).toContain('Line&lt;br&gt;');
  });

  it('uses a yaml code macro and well-formed XHTML (storage format)', () => {
    const xml = toStorage(RUNBOOK);
    expect(xml).toMatch(/^<ac:structured-macro ac:name="code"[^>]*><ac:parameter ac:name="language">yaml<\/ac:parameter><ac:plain-text-body><!\[CDATA\[---\ntitle: "Print <queue> & spooler"/);
    expect(xml).toContain('<h1>Print queue</h1>');
    expect(xml).not.toMatch(/<br>(?!<\/)/);
  });

  it('splits an IT Glue document into text and heading sections', () => {
    const secs = sectionsOf(toHtml(RUNBOOK));
    expect(secs.map((x) => x.type)).toEqual(['Document::Text', 'Document::Heading', 'Document::Heading', 'Document::Text']);
    expect(secs[0].content.startsWith('<pre>---')).toBe(true);
    expect(secs[1]).toEqual({ type: 'Document::Heading', content: 'Print queue', level: 1 });
  });
});
