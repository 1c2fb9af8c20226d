import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, ForbiddenException } from '@nestjs/common';
import { UnitOfWork } from '@desk/platform';
import { z } from 'zod';
import { ExecutorService } from '../app/executor.service';
import { fromUow } from '@desk/platform';

const ApproveBody = z.object({ member: z.string().min(1).max(100) });

/** Shadow mode: what the desk would do, and a technician's go-ahead. */
@Controller('proposals')
export class ProposalsController {
  constructor(private readonly executor: ExecutorService, private readonly uow: UnitOfWork) {}

  @Get()
  async list() {
    return this.uow.run((ctx) => this.executor.proposals(fromUow(ctx, '00000000-0000-0000-0000-000000000000')));
  }

  @Post(':ticketId/approve')
  @HttpCode(202)
  async approve(@Param('ticketId', new ParseUUIDPipe()) ticketId: string, @Body() body: unknown): Promise<{ ticketId: string; status: string }> {
    const parsed = ApproveBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException('body must be {"member": "<PSA member identifier>"}');
    const result = await this.uow.run((ctx) => this.executor.approveProposal(ticketId, parsed.data.member, fromUow(ctx, ticketId)));
    if (result === 'not_found') throw new NotFoundException('no proposal for this ticket');
    if (result === 'not_proposed') throw new ConflictException('the ticket is not waiting for a technician');
    if (result === 'not_a_member') throw new ForbiddenException('only a PSA member (technician) may approve');
    return { ticketId, status: 'approved' };
  }
}
