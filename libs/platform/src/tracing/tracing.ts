import { context, propagation, trace, Context, Span, SpanKind, SpanStatusCode, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const STARTED = Symbol.for('desk.tracing.started');
const SHUTDOWN = Symbol.for('desk.tracing.shutdown');
type Flagged = typeof globalThis & { [STARTED]?: 'sdk' | 'basic'; [SHUTDOWN]?: () => Promise<void> };

/** register.js leaves its SDK's shutdown here so a draining service flushes its last spans. */
export function setTracingShutdown(fn: () => Promise<void>): void {
  (globalThis as Flagged)[SHUTDOWN] = fn;
}

export async function shutdownTracing(): Promise<void> {
  await (globalThis as Flagged)[SHUTDOWN]?.().catch(() => undefined);
}

export function markTracingStarted(kind: 'sdk' | 'basic'): void {
  (globalThis as Flagged)[STARTED] = kind;
}

export function tracingStarted(): boolean {
  return (globalThis as Flagged)[STARTED] !== undefined;
}

/**
 * Makes trace ids real and propagation work when the process was not started with
 * `--require …/tracing/register.js` (jest, ad-hoc scripts): a recording provider without export,
 * an async-local context manager and the W3C propagator. Idempotent; a no-op after register.js.
 */
export function startTracing(): void {
  if (tracingStarted()) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new NoopSpanProcessor()] }));
  markTracingStarted('basic');
}

export const tracer = () => trace.getTracer('@desk/platform');

export type Headers = Record<string, string>;

const setter: TextMapSetter<Headers> = { set: (carrier, key, value) => { carrier[key] = value; } };
const getter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The W3C headers (`traceparent`, `tracestate`) of the active context, to carry in NATS headers. */
export function currentTraceHeaders(): Headers {
  const carrier: Headers = {};
  propagation.inject(context.active(), carrier, setter);
  return carrier;
}

export function contextFromHeaders(headers: Headers): Context {
  return propagation.extract(context.active(), headers, getter);
}

export function currentTraceId(): string | null {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || sc.traceId === '00000000000000000000000000000000') return null;
  return sc.traceId;
}

/** Runs fn inside a new span (child of `parent`, else of the active context); records errors. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    span.recordException(e instanceof Error ? e : new Error(String(e)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    span.end();
  }
}
