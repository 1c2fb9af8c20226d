import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditRecord, AuditService, VerifyResult } from './audit.service';

/** Optional read API over the audit log; a service opts in by listing it in its controllers. */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('tickets/:id')
  async ticket(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ ticketId: string; entries: AuditRecord[] }> {
    return { ticketId: id, entries: await this.audit.history(id) };
  }

  @Get('verify')
  async verify(@Query('ticketId', new ParseUUIDPipe({ optional: true })) ticketId?: string): Promise<VerifyResult> {
    return this.audit.verify(ticketId);
  }

  /** JSON lines, streamed: `curl …/audit/export > audit.jsonl`. */
  @Get('export')
  async export(@Res() res: Response, @Query('ticketId', new ParseUUIDPipe({ optional: true })) ticketId?: string): Promise<void> {
    res.setHeader('Content-Type', 'application/x-ndjson');
    for await (const line of this.audit.exportJsonLines(ticketId)) {
      if (!res.write(line)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }
}
