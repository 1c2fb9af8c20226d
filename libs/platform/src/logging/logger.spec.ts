import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { startTracing, tracer } from '../tracing/tracing';
import { createPinoLogger } from './logger';
import { withTicket } from './ticket-scope';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  beforeAll(() => startTracing());

  test('every line carries service, trace_id, span_id of the active span and the ticket in scope', () => {
    const out = capture();
    const log = createPinoLogger('triage', 'info', out.stream);
    const span = tracer().startSpan('t');
    context.with(trace.setSpan(context.active(), span), () => withTicket('7d1f3c8e-3b0a-4d1e-9a51-2f7c1f0e9b10', () => log.info('handled')));
    span.end();
    log.info('outside');
    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ service: 'triage', msg: 'handled', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, ticket_id: '7d1f3c8e-3b0a-4d1e-9a51-2f7c1f0e9b10' });
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('ticket_id');
  });

  test('secrets are redacted wherever they sit', () => {
    const out = capture();
    const log = createPinoLogger('executor', 'info', out.stream);
    log.info({ password: 'p1', result: { temporaryPassword: 'Tmp-123', code: '482913' }, req: { headers: { authorization: 'Bearer abc' } }, action: { params: { password: 'deep' } } }, 'reset');
    const text = JSON.stringify(out.lines()[0]);
    for (const secret of ['p1', 'Tmp-123', '482913', 'Bearer abc', 'deep']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
