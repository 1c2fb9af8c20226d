import { frontMatterOf } from '@desk/adapters';
import { scriptParameterString } from '../../src/rmm/rmm-common';

describe('frontMatterOf', () => {
  it('reads the header from Markdown, an HTML <pre> block and a Confluence code macro', () => {
    expect(frontMatterOf({ bodyFormat: 'markdown', body: '---\ncategory: printer\n---\n# T\n' })).toBe('category: printer\n');
    expect(frontMatterOf({ bodyFormat: 'html', body: '<pre>---\ntitle: "A &amp; B"\ncategory: printer\n---</pre>\n<h1>T</h1>' })).toBe('title: "A & B"\ncategory: printer\n');
    const storage = '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">yaml</ac:parameter><ac:plain-text-body><![CDATA[---\ncategory: vpn_connectivity\n---]]></ac:plain-text-body></ac:structured-macro>\n<h1>T</h1>';
    expect(frontMatterOf({ bodyFormat: 'storage', body: storage })).toBe('category: vpn_connectivity\n');
  });

  it('is null when the page has no header, or the first block is something else', () => {
    expect(frontMatterOf({ bodyFormat: 'html', body: '<h1>Notes</h1><pre>---\ncategory: x\n---</pre>' })).toBeNull();
    expect(frontMatterOf({ bodyFormat: 'html', body: '<pre>Get-Service Spooler</pre>' })).toBeNull();
    expect(frontMatterOf({ bodyFormat: 'markdown', body: '# Just a page\n' })).toBeNull();
  });
});

describe('scriptParameterString', () => {
  it('quotes every value and escapes quotes and backslashes', () => {
    expect(scriptParameterString({ softwareName: 'LexFile DMS Client', path: 'C:\\x "y"' })).toBe('-softwareName "LexFile DMS Client" -path "C:\\\\x \\"y\\""');
    expect(scriptParameterString({})).toBe('');
  });
});
