const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return enc.encode(JSON.stringify(value));
}

export function encodeText(text: string): Uint8Array {
  return enc.encode(text);
}

export function decodeText(data: Uint8Array): string {
  return dec.decode(data);
}
