/**
 * Customer-facing text must carry no secret and no internal identifier. Applied to every customer note
 * the desk writes, whatever produced the text (a composer here, or a message from another stage).
 */
const RULES: Array<[RegExp, string]> = [
  // W3C traceparent and bare trace / span ids.
  [/\b00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b/gi, ''],
  // UUIDs (desk ticket ids, event ids, correlation ids).
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ''],
  // Labelled internal ids: "event id: …", "trace_id=…", "correlationId …".
  [/\b(event|trace|span|correlation|causation|delivery|desk ticket)[ _-]?id\b\s*[:=#]?\s*\S+/gi, ''],
  // Passwords, temporary passwords, codes, tokens, keys, with their values.
  [/\b((temporary |temp |new |one-time )?(password|passcode|pwd|pin))\b(\s+(is|was|set to))?\s*[:=]?\s*["'`]?[^\s"'`,;]{4,}["'`]?/gi, '$1 [removed]'],
  [/\b((verification |one-time |security |access )?code)\b(\s+(is|was))?\s*[:=]?\s*["'`]?\d{4,10}\b["'`]?/gi, '$1 [removed]'],
  [/\b(secret|token|api[ _-]?key|client[ _-]?secret|bearer)\b\s*[:=]?\s*["'`]?[A-Za-z0-9._~+/=-]{8,}["'`]?/gi, '$1 [removed]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, 'Bearer [removed]'],
  // Long hex / base64 blobs (keys, hashes, ids).
  [/\b[0-9a-f]{24,}\b/gi, ''],
  [/\b[A-Za-z0-9+/]{40,}={0,2}/g, ''],
];

export function redactCustomerText(text: string): string {
  let out = text;
  for (const [re, repl] of RULES) out = out.replace(re, repl);
  // Tidy what removal leaves behind: "( )", doubled spaces, spaces before punctuation.
  return out
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([.,;:!?])/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** True when the text would pass the customer-facing rules unchanged (tests and a last assertion before a write). */
export function isCustomerSafe(text: string): boolean {
  return redactCustomerText(text) === text.trim().replace(/[ \t]{2,}/g, ' ');
}
