import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_PORTS } from './config/config';
import { PlatformCore } from './core';
import { shutdownTracing, startTracing } from './tracing/tracing';
import { JetStreamTransport } from './transport/jetstream.transport';
import { DeskExceptionFilter } from './transport/rethrow-rpc.filter';
import { TransportRef } from './transport/transport-ref';

export interface BootstrapOptions {
  name: string;
  module: Type<unknown>;
  /** Overrides PORT / the service default (0 = any free port). */
  port?: number;
  host?: string;
}

export interface DeskApp {
  app: NestExpressApplication;
  core: PlatformCore;
  transport: JetStreamTransport;
  url: string;
  /** Drains consumers, then closes HTTP, NATS and the pool. */
  close(): Promise<void>;
}

/**
 * Creates the hybrid app (HTTP + JetStream transport), starts consumers and HTTP. No signal handling:
 * tests use this directly; `bootstrapService` adds the process-level behaviour.
 */
export async function createDeskApp(opts: BootstrapOptions): Promise<DeskApp> {
  startTracing();
  // rawBody: intake verifies webhook signatures over the exact bytes received.
  const app = await NestFactory.create<NestExpressApplication>(opts.module, { rawBody: true, bufferLogs: true });
  const core = app.get(PlatformCore);
  app.useLogger(core.logger);
  const transport = new JetStreamTransport(core);
  app.get(TransportRef).transport = transport;
  app.useGlobalFilters(new DeskExceptionFilter(app.getHttpAdapter()));
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  try {
    await app.startAllMicroservices();
    const port = opts.port ?? core.env.PORT ?? DEFAULT_PORTS[opts.name] ?? 3000;
    await app.listen(port, opts.host ?? '0.0.0.0');
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  core.log.info({ url, stream: core.nats.stream, schema: core.schema }, `${opts.name} listening`);
  const close = async () => {
    // Stop taking HTTP requests first (in-flight ones finish): they would fail once the pool is closed.
    await new Promise<void>((resolve) => app.getHttpServer().close(() => resolve()));
    await app.close();
  };
  return { app, core, transport, url, close };
}

/** `main.ts` of every service: start, and drain cleanly on SIGTERM/SIGINT. */
export async function bootstrapService(opts: BootstrapOptions): Promise<INestApplication> {
  let desk: DeskApp;
  try {
    desk = await createDeskApp(opts);
  } catch (e) {
    process.stderr.write(`${opts.name} failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    desk.core.log.info({ signal }, 'draining');
    // A drain that hangs must not keep a pod in Terminating forever.
    const hard = setTimeout(() => process.exit(1), 25_000);
    hard.unref();
    void desk.close()
      .then(() => shutdownTracing())
      .then(() => process.exit(0), (e: unknown) => {
        process.stderr.write(`${opts.name} drain failed: ${String(e)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return desk.app;
}
