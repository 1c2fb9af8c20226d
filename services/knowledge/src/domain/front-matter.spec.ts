import { parseHeader, splitFrontMatter } from './front-matter';
import { buildDocument } from './document';
import { toCleanText } from './clean-text';
import { extractSections } from './sections';
import { md } from '../../test/demo-docs';

const GOOD = `title: "T"
category: password_reset
automation:
  action: reset_password
  identityVerification: contact_on_file
  verify: "it worked"
updated: "2026-09-14"
owner: "Dana"`;

describe('front matter', () => {
  it('parses a valid automation header', () => {
    const h = parseHeader(GOOD);
    expect(h.status).toBe('valid');
    if (h.status === 'valid') expect(h.header.automation?.action).toBe('reset_password');
  });

  it('reports an unknown action instead of guessing', () => {
    const h = parseHeader(GOOD.replace('reset_password', 'reset_pasword'));
    expect(h.status).toBe('malformed');
    if (h.status === 'malformed') {
      expect(h.errors.join()).toMatch(/automation\.action/);
      expect(h.category).toBe('password_reset');
    }
  });

  it('rejects an unknown identity rule, a misspelt allow-list key and missing verify', () => {
    expect(parseHeader(GOOD.replace('contact_on_file', 'callback')).status).toBe('malformed');
    expect(parseHeader(GOOD.replace('  verify: "it worked"', '  allowedGroup: ["A"]\n  verify: "x"')).status).toBe('malformed');
    expect(parseHeader(GOOD.replace('  verify: "it worked"\n', '')).status).toBe('malformed');
  });

  it('keeps the category of a header whose YAML does not parse, for the resolution rule', () => {
    const h = parseHeader('category: vpn_connectivity\nautomation: [unclosed\n  action: x');
    expect(h.status).toBe('malformed');
    if (h.status === 'malformed') expect(h.category).toBe('vpn_connectivity');
  });

  it('treats an unknown category as malformed with no category', () => {
    const h = parseHeader('category: coffee\nupdated: "2026-01-01"');
    expect(h).toMatchObject({ status: 'malformed', category: null });
  });

  it('requires a date when automation is present', () => {
    expect(parseHeader(GOOD.replace('updated: "2026-09-14"\n', '')).status).toBe('malformed');
  });

  it('finds a header rendered as a code block under a page title (HTML docs systems)', () => {
    const text = toCleanText(`<h1>Reset</h1><pre>${GOOD}</pre><h2>Steps</h2><p>do it</p>`, 'html');
    const s = splitFrontMatter(text);
    expect(parseHeader(s.yaml).status).toBe('valid');
    expect(s.body).toContain('## Steps');
  });

  it('finds a fenced header in Confluence storage format', () => {
    const storage = `<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">yaml</ac:parameter><ac:plain-text-body><![CDATA[---\n${GOOD}\n---]]></ac:plain-text-body></ac:structured-macro><h2>Escalate if</h2><ul><li>partner</li></ul>`;
    const doc = buildDocument({ id: '1', title: 'T', body: storage, bodyFormat: 'storage', updatedAt: '2026-01-01T00:00:00Z', url: null, clientIdentifier: 'C' }, 'client', 'C', 'confluence');
    expect(doc.headerStatus).toBe('valid');
    expect(doc.sections.escalateIf).toContain('partner');
  });

  it('a document without a header stays searchable reference', () => {
    const doc = buildDocument({ id: '1', title: 'Network notes', body: '<h1>Notes</h1><h2>VLANs</h2><p>10 = office</p>', bodyFormat: 'html', updatedAt: '2026-01-01T00:00:00Z', url: null, clientIdentifier: 'C' }, 'client', 'C', 'hudu');
    expect(doc).toMatchObject({ headerStatus: 'absent', category: null, automation: null, title: 'Network notes' });
    expect(doc.sections.other[0]).toEqual({ heading: 'VLANs', text: '10 = office' });
  });

  it('extracts the conventional sections, headings kept', () => {
    const doc = buildDocument(md(GOOD, '# T\n\n## Applies to\nStaff\n\n## Prerequisites\n- enabled\n\n## Steps (L2 technician)\n1. a\n\n## Escalate if\n- partner\n\n## Why\nbecause\n\n## Notes\nn'), 'client', 'C', 'markdown');
    expect(doc.sections).toMatchObject({ appliesTo: 'Staff', prerequisites: '- enabled', steps: '1. a', escalateIf: '- partner', notes: 'n' });
    expect(doc.sections.other).toEqual([{ heading: 'Why', text: 'because' }]);
    expect(extractSections(doc.body).headings).toContain('Steps (L2 technician)');
  });

  it('survives malformed HTML', () => {
    expect(toCleanText('<div><h2>Steps<p>one <b>two</i></div></table>', 'html')).toContain('## Steps');
  });
});
