/**
 * Loaded before anything else: `node --require libs/platform/dist/tracing/register.js services/x/dist/main.js`.
 * HTTP, Express and pg are instrumented only when the SDK starts before they are first required.
 * Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise they are still
 * recorded (so trace ids exist, propagate over NATS and land in the ledger) but not exported.
 */
import { basename, dirname } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { markTracingStarted, setTracingShutdown, tracingStarted } from './tracing';

function serviceNameFromArgv(): string {
  // services/<name>/dist/main.js → <name>
  const main = process.argv[1] ?? 'desk';
  return basename(dirname(dirname(main))) || 'desk';
}

if (!tracingStarted()) {
  // Only traces are ours to configure; the SDK must not start metric/log exporters on its own.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || serviceNameFromArgv(),
    spanProcessors: [endpoint ? new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }) : new NoopSpanProcessor()],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  markTracingStarted('sdk');
  setTracingShutdown(() => sdk.shutdown());
}
