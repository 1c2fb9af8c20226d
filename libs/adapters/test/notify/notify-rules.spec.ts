import { DEFAULT_RECIPIENT_RATE_LIMIT, RecipientRateLimiter, recipientLimitFromEnv, scrub, signPagingPayload, toE164, verifiedTargets, verifyTwilioSignature } from '@desk/adapters';
import { verifyPagingSignature } from '../../../../sandbox/src/vendors/chat-hooks';

describe('verifyTwilioSignature', () => {
  // The worked example of Twilio's "Validating signatures" documentation (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };

  it('accepts the documented example and rejects any change', () => {
    expect(verifyTwilioSignature(url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(true);
    expect(verifyTwilioSignature(url, { ...params, Digits: '1235' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(false);
    expect(verifyTwilioSignature(url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '54321')).toBe(false);
    expect(verifyTwilioSignature(url, params, undefined, '12345')).toBe(false);
    expect(verifyTwilioSignature(url, params, 'short', '12345')).toBe(false);
  });

  it('accepts the URL with the default port spelled out', () => {
    expect(verifyTwilioSignature('https://mycompany.com:443/myapp.php?foo=1&bar=2', params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(true);
    expect(verifyTwilioSignature('https://mycompany.com:8443/myapp.php?foo=1&bar=2', params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(false);
  });
});

describe('RecipientRateLimiter', () => {
  it('allows a burst, then refills over time', () => {
    let now = 0;
    const rl = new RecipientRateLimiter({ capacity: 2, refillPerMinute: 1 }, () => now);
    expect([rl.tryTake('a'), rl.tryTake('a'), rl.tryTake('a')]).toEqual([true, true, false]);
    expect(rl.tryTake('b')).toBe(true);
    expect(rl.retryAfterMs('a')).toBe(60_000);
    now = 30_000;
    expect(rl.tryTake('a')).toBe(false);
    now = 61_000;
    expect(rl.tryTake('a')).toBe(true);
    expect(rl.tryTake('a')).toBe(false);
  });
});

describe('recipientLimitFromEnv', () => {
  it('reads "capacity,per minute" or off, and falls back on the default', () => {
    expect(recipientLimitFromEnv('10, 2')).toEqual({ capacity: 10, refillPerMinute: 2 });
    expect(recipientLimitFromEnv('off')).toBeNull();
    expect(recipientLimitFromEnv('nonsense')).toEqual(DEFAULT_RECIPIENT_RATE_LIMIT);
    expect(recipientLimitFromEnv('')).toEqual(DEFAULT_RECIPIENT_RATE_LIMIT);
  });
});

describe('content rules', () => {
  it('scrubs a secret and its words out of provider text', () => {
    expect(scrub('rejected: Your temporary password is Qx7-harbor-19', 'Your temporary password is Qx7-harbor-19')).toBe('rejected: [redacted]');
    expect(scrub('failed near Qx7-harbor-19 token', 'Password: Qx7-harbor-19')).not.toContain('Qx7-harbor-19');
  });

  it('targets only methods on file, mobile first, email only when allowed', () => {
    expect(verifiedTargets({ mobile: '+1-555-0110', email: 'a@b.example' }, { allowEmail: true })).toEqual([{ channel: 'sms', phone: '+15550110' }, { channel: 'email', address: 'a@b.example' }]);
    expect(verifiedTargets({ mobile: null, email: 'a@b.example' }, { allowEmail: false })).toEqual([]);
    expect(verifiedTargets({ mobile: 'ext 12' }, { allowEmail: true })).toEqual([]);
    expect(toE164('(+1) 555-0110')).toBe('+15550110');
    expect(toE164('555-0110')).toBeNull();
  });

  it('signs pages the way the sandbox paging receiver verifies them', () => {
    const raw = '{"summary":"x"}';
    const now = Date.now();
    const sig = signPagingPayload('s3cret', raw, Math.floor(now / 1000));
    expect(verifyPagingSignature(sig, raw, 's3cret', now)).toBe(true);
    expect(verifyPagingSignature(sig, raw + ' ', 's3cret', now)).toBe(false);
    expect(verifyPagingSignature(sig, raw, 's3cret', now + 301_000)).toBe(false);
  });
});
