import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readReply } from '../domain/read-reply';
import { OpenAiReplyReader } from './llm-reply-reader';

/** The reply reader against a local OpenAI-compatible endpoint whose answer each test sets. */
let server: Server;
let url = '';
let nextAnswer = '';
const seen: Array<{ response_format?: { type: string; json_schema?: { strict?: boolean } }; messages: Array<{ content: string }> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(JSON.parse(Buffer.concat(chunks).toString()) as (typeof seen)[number]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: nextAnswer } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

const warnings: string[] = [];
const reader = () => new OpenAiReplyReader({ apiKey: 'k', baseURL: url, model: 'm', timeoutMs: 15_000 }, (m) => warnings.push(m));

it('asks for strict JSON-schema output and quotes the reply as data', async () => {
  nextAnswer = JSON.stringify({ intent: 'question', confidence: 0.9, why: 'asks where the cards are', question: 'Where are the table cards?' });
  const r = await readReply('hmm where would those be', 'Hi, the password is on the table cards.', reader());
  expect(r).toEqual({ by: 'rules+llm', reading: { intent: 'question', confidence: 0.9, why: 'model: asks where the cards are', question: 'Where are the table cards?' } });
  const req = seen.at(-1)!;
  expect(req.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
  expect(req.messages[1]!.content).toContain('"userReplied":"hmm where would those be"');
});

it('a model that says "resolved" against unclear rules does not close the ticket', async () => {
  nextAnswer = JSON.stringify({ intent: 'resolved', confidence: 0.99, why: 'sounds happy', question: null });
  expect((await readReply('ok cool', 'steps', reader())).reading.intent).toBe('unclear');
});

it('an answer outside the schema is ignored: the rules decide', async () => {
  nextAnswer = JSON.stringify({ intent: 'close_ticket_now', confidence: 2 });
  const r = await readReply('Still not working.', 'steps', reader());
  expect(r).toMatchObject({ by: 'rules', reading: { intent: 'still_broken' } });
  expect(warnings.at(-1)).toMatch(/failed validation/);
});
