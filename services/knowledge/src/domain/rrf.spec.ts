import { cosine, reciprocalRankFusion } from './rrf';

describe('reciprocal-rank fusion', () => {
  it('rewards items ranked well by several lists', () => {
    const fused = reciprocalRankFusion([{ name: 'fts', keys: ['a', 'b', 'c'] }, { name: 'tri', keys: ['b', 'c', 'a'] }]);
    expect(fused.map((f) => f.key)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.ranks).toEqual({ fts: 2, tri: 1 });
  });

  it('weights lists and ignores duplicates within one list', () => {
    const fused = reciprocalRankFusion([{ name: 'x', keys: ['a', 'a'], weight: 0.5 }, { name: 'y', keys: ['b'] }]);
    expect(fused.map((f) => f.key)).toEqual(['b', 'a']);
  });

  it('computes cosine similarity', () => {
    expect(cosine([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
});
