import { z } from 'zod';
import { PortalReplyBody, PortalTicketBody } from '../domain/portal';

const error = { type: 'object', properties: { error: { type: 'string', description: 'What is wrong with the request' } }, required: ['error'] };
const accepted = {
  type: 'object',
  properties: {
    outcome: { type: 'string', enum: ['received', 'reply', 'duplicate', 'ignored', 'storm', 'pending_fetch'] },
    deliveryId: { type: 'string', format: 'uuid' },
    ticketId: { type: 'string', format: 'uuid' },
    reason: { type: 'string' },
  },
  required: ['outcome', 'deliveryId'],
};
const errors = Object.fromEntries([
  ['400', 'Malformed body or header'], ['401', 'Missing or invalid API key'], ['404', 'No such ticket (or not this client\'s)'],
  ['413', 'Body larger than the limit'], ['415', 'Content-Type is not application/json'], ['422', 'Body fails validation; the message names the field'],
].map(([code, description]) => [code, { description, content: { 'application/json': { schema: error } } }]));

const security = [{ bearer: [] }, { apiKey: [] }];
const idempotency = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'The same key twice creates one ticket / one reply.' };
const ticketId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** OpenAPI 3.1 description of the portal / chat API (the request schemas come from the zod schemas themselves). */
export function portalOpenApi(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Service desk portal / chat API', version: '1.0.0', description: 'Create tickets, reply, read status. One API key per MSP client.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      schemas: {
        NewTicket: z.toJSONSchema(PortalTicketBody, { io: 'input' }),
        Reply: z.toJSONSchema(PortalReplyBody, { io: 'input' }),
        Accepted: accepted,
        Error: error,
        TicketStatus: {
          type: 'object',
          properties: { ticketId: { type: 'string', format: 'uuid' }, state: { type: 'string' }, status: { type: 'string' }, updatedAt: { type: ['string', 'null'], format: 'date-time' }, psaTicketNumber: { type: ['string', 'null'] } },
          required: ['ticketId', 'state', 'status'],
        },
      },
    },
    security,
    paths: {
      '/portal/tickets': {
        post: {
          summary: 'Create a ticket', parameters: [idempotency],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewTicket' } } } },
          responses: { '201': { description: 'Stored; the ticket id', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } }, '200': { description: 'Duplicate of an earlier request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } }, ...errors },
        },
      },
      '/portal/tickets/{id}/replies': {
        post: {
          summary: 'Reply on a ticket (an answer, a verification code, more detail)', parameters: [ticketId, idempotency],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Reply' } } } },
          responses: { '200': { description: 'Stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } }, ...errors },
        },
      },
      '/portal/tickets/{id}': {
        get: {
          summary: 'Status of a ticket', parameters: [ticketId],
          responses: { '200': { description: 'Current status', content: { 'application/json': { schema: { $ref: '#/components/schemas/TicketStatus' } } } }, ...errors },
        },
      },
    },
  };
}
