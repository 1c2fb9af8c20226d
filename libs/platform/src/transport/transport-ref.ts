import { JetStreamTransport } from './jetstream.transport';

/** Where bootstrap leaves the transport, so readiness and shutdown (built before it) can reach it. */
export class TransportRef {
  transport: JetStreamTransport | null = null;
}
