import { ChainedEntry, GENESIS_HASH, StoredEntry, canonicalJson, entryHash, verifyChain } from './hash-chain';

const ticketId = '7d1f3c8e-3b0a-4d1e-9a51-2f7c1f0e9b10';

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: ChainedEntry = {
      ticketId, seq, at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), service: 'triage', actor: 'triage',
      action: 'route', decision: seq % 2 ? 'autonomous' : null, why: [`reason ${seq}`], evidence: { score: seq / 10, nested: { b: 1, a: 2 } },
    };
    const hash = entryHash(prev, content);
    out.push({ ...content, id: String(seq), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  test('canonical JSON ignores key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  test('an untouched chain verifies', () => {
    expect(verifyChain(chain(5))).toBeNull();
  });

  test('an edited entry is reported at that entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, decision: 'escalate' };
    expect(verifyChain(c)).toMatchObject({ seq: 3, reason: expect.stringContaining('hash') });
  });

  test('an edited entry whose hash was recomputed breaks the next link', () => {
    const c = chain(5);
    const edited = { ...c[1]!, evidence: { forged: true } };
    const { id: _i, prevHash, hash: _h, ...content } = edited;
    c[1] = { ...edited, hash: entryHash(prevHash, content) };
    expect(verifyChain(c)).toMatchObject({ seq: 3, reason: expect.stringContaining('prev_hash') });
  });

  test('a deleted entry is reported as a sequence gap', () => {
    const c = chain(4);
    c.splice(1, 1);
    expect(verifyChain(c)).toMatchObject({ seq: 3, reason: expect.stringContaining('gap') });
  });

  test('the first entry must link to the genesis hash', () => {
    const c = chain(2).slice(1).map((e) => ({ ...e, seq: 1 }));
    expect(verifyChain(c)).not.toBeNull();
  });
});
