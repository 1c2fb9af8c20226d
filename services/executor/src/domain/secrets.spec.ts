import { codeMatches, extractCode, generateCode, generateTemporaryPassword, hashCode, newSalt } from './secrets';

describe('one-time codes', () => {
  it('are 6 digits, random, and stored only as a salted hash', () => {
    const codes = new Set(Array.from({ length: 200 }, () => generateCode()));
    expect([...codes].every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.size).toBeGreaterThan(190);
    const salt = newSalt();
    const h = hashCode('123456', salt);
    expect(h).not.toContain('123456');
    expect(hashCode('123456', newSalt())).not.toBe(h);
  });

  it('compare in constant time and only on an exact match', () => {
    const salt = newSalt();
    const h = hashCode('048213', salt);
    expect(codeMatches('048213', salt, h)).toBe(true);
    expect(codeMatches('048214', salt, h)).toBe(false);
    expect(codeMatches('48213', salt, h)).toBe(false);
  });

  it('reads the code out of a reply, tolerating spaces, refusing ambiguity', () => {
    expect(extractCode('Here it is: 482 913\nThanks')).toBe('482913');
    expect(extractCode('code 482913')).toBe('482913');
    expect(extractCode('482913 or maybe 111222')).toBeNull();
    expect(extractCode('call me at 5550110')).toBeNull();
    expect(extractCode('no code here')).toBeNull();
  });

  it('refuses code lengths outside 6 to 8', () => {
    expect(() => generateCode(4)).toThrow();
    expect(generateCode(8)).toMatch(/^\d{8}$/);
  });
});

describe('temporary passwords', () => {
  it('are 16 characters with every class, and differ every time', () => {
    const pw = Array.from({ length: 50 }, () => generateTemporaryPassword());
    for (const p of pw) {
      expect(p).toHaveLength(16);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[2-9]/);
      expect(p).toMatch(/[!@#$%*\-_+=?]/);
    }
    expect(new Set(pw).size).toBe(50);
  });
});
