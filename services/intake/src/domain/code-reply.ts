import { codeMatches, codeRuns } from '@desk/contracts';

/** A ticket waiting for a one-time code sent to the phone an SMS came from (salt and hash of its code). */
export interface WaitingCode {
  ticketId: string;
  clientIdentifier: string;
  salt: string | null;
  hash: string | null;
}

export type CodeRoute =
  | { kind: 'one'; ticketId: string; clientIdentifier: string; why: string }
  /** Several tickets wait and the text matches none of their codes (or more than one): each gets the answer. */
  | { kind: 'each'; targets: Array<{ ticketId: string; clientIdentifier: string }>; why: string };

/**
 * Which waiting ticket an SMS from this phone answers. One waiting: that one (the executor judges the code).
 * Several (one person with two requests in flight): the ticket whose code the digits are; when they are
 * none of them, intake cannot tell — rather than guess (the newest would take another ticket's attempt), every
 * waiting ticket gets the answer: each counts a wrong code and asks again, and runs out into an escalation.
 */
export function routeCodeReply(body: string, waiting: WaitingCode[]): CodeRoute | null {
  const [first] = waiting;
  if (!first) return null;
  if (waiting.length === 1) return { kind: 'one', ticketId: first.ticketId, clientIdentifier: first.clientIdentifier, why: 'the only ticket waiting for a code from this phone' };
  const runs = codeRuns(body);
  const matched = waiting.filter((w) => w.salt && w.hash && runs.some((r) => codeMatches(r, w.salt!, w.hash!)));
  if (matched.length === 1) return { kind: 'one', ticketId: matched[0]!.ticketId, clientIdentifier: matched[0]!.clientIdentifier, why: `the code of this ticket (${waiting.length} wait for a code from this phone)` };
  return {
    kind: 'each', targets: waiting.map((w) => ({ ticketId: w.ticketId, clientIdentifier: w.clientIdentifier })),
    why: `${waiting.length} tickets wait for a code from this phone and the message ${matched.length === 0 ? 'matches none of their codes' : 'matches several'}: sent to each, none guessed`,
  };
}
