import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Subjects, type Envelope, type TicketReplyV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { ExecutorService } from '../app/executor.service';
import { fromHandler } from '@desk/platform';
import { ConversationService } from '../conversation/conversation.service';

/** An answer on a waiting ticket: a code, a manager's approval, a technician's status change, the user's answer to guidance. */
@Controller()
export class TicketReplyHandler {
  constructor(private readonly executor: ExecutorService, private readonly conversations: ConversationService) {}

  @EventPattern(Subjects.ticketReply)
  async handle(@Payload() evt: Envelope<TicketReplyV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const scope = fromHandler(ctx);
    // A ticket the desk answered with guidance has a conversation, not a case.
    if (await this.conversations.onReply(evt, scope)) return;
    await this.executor.onReply(evt, scope);
  }
}
