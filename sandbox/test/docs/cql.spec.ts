import { CqlError, parseCql } from '../../src/vendors/confluence/cql';

describe('CQL subset of the Confluence sandbox', () => {
  it('parses the incremental-sync query', () => {
    const q = parseCql('space = TSP and type = page and lastModified > "2026/07/22 09:30"');
    expect(q.spaces).toEqual(['TSP']);
    expect(q.type).toBe('page');
    expect(q.lastModified).toEqual([{ op: '>', at: Date.UTC(2026, 6, 22, 9, 30) }]);
  });

  it('takes quoted keys, in-lists, dates without time, title search and order by', () => {
    const q = parseCql('space in ("TSP", MSP) AND title ~ "vpn" and created >= 2025-01-31 order by lastModified desc');
    expect(q.spaces).toEqual(['TSP', 'MSP']);
    expect(q.title).toEqual({ op: '~', value: 'vpn' });
    expect(q.created).toEqual([{ op: '>=', at: Date.UTC(2025, 0, 31) }]);
    expect(q.orderBy).toEqual({ field: 'lastModified', desc: true });
  });

  it.each(['label = foo', 'space = TSP or type = page', 'lastModified > "yesterday"', 'space = TSP and', 'type ~ page'])('rejects %s', (cql) => {
    expect(() => parseCql(cql)).toThrow(CqlError);
  });
});
