import { createHash, createHmac } from 'node:crypto';
import {
  checkReplayWindow, twilioSignature, verifyAutotaskSignature, verifyConnectWiseSignature, verifyHaloBasicAuth, verifyTwilio,
} from './signatures';

const body = Buffer.from('{"MessageId":"m1","Action":"updated","Type":"ticket","ID":5}');

describe('ConnectWise callback signature', () => {
  const key = 'signing-key-1';
  const sign = (b: Buffer, k = key) => createHmac('sha256', createHash('sha256').update(k).digest()).update(b).digest('base64');
  it('accepts the documented HMAC over the raw body', () => expect(verifyConnectWiseSignature(body, sign(body), key)).toEqual({ ok: true }));
  it('refuses a signature made with another key', () => expect(verifyConnectWiseSignature(body, sign(body, 'other'), key).ok).toBe(false));
  it('refuses a body changed after signing', () => expect(verifyConnectWiseSignature(Buffer.from(body.toString() + ' '), sign(body), key).ok).toBe(false));
  it('names a missing header', () => expect(verifyConnectWiseSignature(body, undefined, key)).toEqual({ ok: false, reason: 'missing x-content-signature header' }));
});

describe('Autotask X-Hook-Signature', () => {
  const secret = 'hook-secret';
  const sig = 'sha1=' + createHmac('sha1', secret).update(body).digest('base64');
  it('accepts sha1=<base64 HMAC-SHA1>', () => expect(verifyAutotaskSignature(body, sig, secret).ok).toBe(true));
  it('accepts the bare base64 form too', () => expect(verifyAutotaskSignature(body, sig.slice(5), secret).ok).toBe(true));
  it('refuses a forged one', () => expect(verifyAutotaskSignature(body, 'sha1=AAAA', secret).ok).toBe(false));
});

describe('Halo basic auth', () => {
  const h = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
  it('accepts the registered credentials', () => expect(verifyHaloBasicAuth(h('halo-hook', 'pw'), 'halo-hook', 'pw').ok).toBe(true));
  it('refuses a wrong password', () => expect(verifyHaloBasicAuth(h('halo-hook', 'nope'), 'halo-hook', 'pw').ok).toBe(false));
  it('refuses a bearer token', () => expect(verifyHaloBasicAuth('Bearer x', 'halo-hook', 'pw')).toEqual({ ok: false, reason: 'Authorization is not Basic auth' }));
});

describe('replay window', () => {
  const now = new Date('2026-11-30T15:00:00Z');
  it('accepts a fresh event time', () => expect(checkReplayWindow('2026-11-30T14:58:00Z', now, 300).ok).toBe(true));
  it('refuses an old one', () => expect(checkReplayWindow('2026-11-30T14:00:00Z', now, 300).ok).toBe(false));
  it('refuses one far in the future', () => expect(checkReplayWindow('2026-11-30T16:00:00Z', now, 300).ok).toBe(false));
  it('passes when the vendor signs no time', () => expect(checkReplayWindow(null, now, 300).ok).toBe(true));
});

describe('Twilio signature', () => {
  // Twilio's documented example (https://www.twilio.com/docs/usage/security#validating-requests).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
  it('matches the documented example', () => expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ='));
  it('refuses a changed parameter', () => expect(verifyTwilio('12345', url, { ...params, Digits: '9999' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=').ok).toBe(false));
});
