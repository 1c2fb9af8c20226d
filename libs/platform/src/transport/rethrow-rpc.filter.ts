import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces every error with "Internal server error"; the transport needs the
 * original (its class decides retry vs dead letter, its message goes into the dead letter).
 * HTTP errors keep Nest's default handling. Registered once for the hybrid app (the microservice
 * inherits the app config, because a hybrid app's listeners are bound before its own filters could be set).
 */
@Catch()
export class DeskExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
