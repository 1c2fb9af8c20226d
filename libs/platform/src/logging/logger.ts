import { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { Logger, LoggerOptions } from 'pino';
import { currentTicketId } from './ticket-scope';

/** Secrets that must never reach a log line, wherever they sit in a logged object. */
export const REDACT_PATHS = [
  'password', '*.password', '*.*.password',
  'temporaryPassword', '*.temporaryPassword', '*.*.temporaryPassword',
  'code', '*.code', '*.*.code',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'req.headers.authorization',
  'Authorization', '*.Authorization', '*.headers.Authorization',
];

/** trace_id / span_id of the active span and the ticket in scope, added to every line. */
export function logMixin(): Record<string, string> {
  const out: Record<string, string> = {};
  const span = trace.getActiveSpan();
  const sc = span?.spanContext();
  if (sc && sc.traceId !== '00000000000000000000000000000000') {
    out.trace_id = sc.traceId;
    out.span_id = sc.spanId;
  }
  const ticketId = currentTicketId();
  if (ticketId) out.ticket_id = ticketId;
  return out;
}

export function createPinoLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  const opts: LoggerOptions = {
    level,
    base: { service },
    mixin: logMixin,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(opts, destination) : pino(opts);
}

/** pino behind Nest's LoggerService, so framework and service logs share one JSON format. */
export class DeskLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  child(bindings: Record<string, unknown>): Logger {
    return this.pino.child(bindings);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  // Nest passes (message, ...optionalParams, context): the last string is the context (class name).
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const params = [...rest];
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const obj: Record<string, unknown> = {};
    if (context) obj.context = context;
    if (params.length > 0 && typeof params[0] === 'string' && level === 'error') obj.stack = params[0];
    if (message instanceof Error) {
      this.pino[level]({ ...obj, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...obj, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](obj, String(message));
    }
  }
}
