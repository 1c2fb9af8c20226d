import { readFileSync } from 'node:fs';
import { startSandbox } from './core/sandbox';
import { startSmtpSandbox } from './vendors/smtp';

/** `node sandbox/dist/main.js`: SANDBOX_PORT (4010), DATABASE_URL, SANDBOX_DB_SCHEMA (sandbox), SANDBOX_URL, SANDBOX_SEED_DIR. */
async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT ?? 4010);
  // Optional HTTPS (SANDBOX_TLS_KEY / SANDBOX_TLS_CERT: PEM file paths) for clients that only speak https://.
  const tls = process.env.SANDBOX_TLS_KEY && process.env.SANDBOX_TLS_CERT
    ? { key: readFileSync(process.env.SANDBOX_TLS_KEY, 'utf8'), cert: readFileSync(process.env.SANDBOX_TLS_CERT, 'utf8') }
    : undefined;
  const sb = await startSandbox({ port, host: process.env.SANDBOX_HOST ?? '127.0.0.1', tls, baseUrl: process.env.SANDBOX_URL || `${tls ? 'https' : 'http'}://127.0.0.1:${port}` });
  process.stdout.write(`${JSON.stringify({ msg: 'sandbox listening', url: sb.url, baseUrl: sb.ctx.baseUrl, loadMs: sb.loadMs })}\n`);
  // The mail relay of the notify providers (SANDBOX_SMTP_PORT, default 2525; "off" disables it).
  const smtpPort = process.env.SANDBOX_SMTP_PORT ?? '2525';
  const smtp = smtpPort === 'off' ? null : await startSmtpSandbox(sb.ctx, { port: Number(smtpPort), host: process.env.SANDBOX_HOST ?? '127.0.0.1' });
  if (smtp) process.stdout.write(`${JSON.stringify({ msg: 'sandbox smtp listening', port: smtp.port })}\n`);
  const stop = () => {
    void (async () => {
      await smtp?.close();
      await sb.close();
    })().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
