import type { Response } from 'express';

/** Twilio's REST error body: `{code, message, more_info, status}`. */
export function twilioError(res: Response, status: number, code: number, message: string): void {
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}
