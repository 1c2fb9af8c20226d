import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { VendorCallObserver } from '@desk/adapters';

const PREFIX = 'desk_';

/**
 * One prom-client registry per service instance (not the global one, so several instances can live in
 * one test process), holding the platform's metrics; services add theirs through counter/histogram/gauge.
 */
export class DeskMetrics {
  readonly registry = new Registry();
  readonly consumed: Counter<'service' | 'subject'>;
  readonly failed: Counter<'service' | 'subject'>;
  readonly redelivered: Counter<'service' | 'subject'>;
  readonly deadLettered: Counter<'service' | 'subject' | 'reason'>;
  readonly published: Counter<'service' | 'subject'>;
  readonly handlerDuration: Histogram<'service' | 'subject' | 'outcome'>;
  readonly pending: Gauge<'service' | 'subject'>;
  readonly vendorRequests: Counter<'service' | 'vendor' | 'status'>;
  readonly vendorDuration: Histogram<'service' | 'vendor'>;

  constructor(readonly service: string, opts: { defaults?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (opts.defaults !== false) {
      collectDefaultMetrics({ register: this.registry });
      // prom-client names two gauges `…_total` (Prometheus reserves the suffix for counters, and
      // `promtool check metrics` rejects them); the same figures stay available as nodejs_active_*.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
        if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
      }
    }
    this.consumed = this.counter('desk_events_consumed_total', 'Events handled successfully', ['service', 'subject']);
    this.failed = this.counter('desk_events_failed_total', 'Handler attempts that threw', ['service', 'subject']);
    this.redelivered = this.counter('desk_events_redelivered_total', 'Deliveries after the first', ['service', 'subject']);
    this.deadLettered = this.counter('desk_events_dead_lettered_total', 'Events sent to the dead-letter subject', ['service', 'subject', 'reason']);
    this.published = this.counter('desk_events_published_total', 'Events published to JetStream', ['service', 'subject']);
    this.handlerDuration = this.histogram('desk_handler_duration_seconds', 'Handler time including its transaction', ['service', 'subject', 'outcome'],
      [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    this.pending = this.gauge('desk_consumer_pending_messages', 'Messages not yet delivered or not yet acked (consumer lag)', ['service', 'subject']);
    this.vendorRequests = this.counter('desk_vendor_requests_total', 'Vendor API calls', ['service', 'vendor', 'status']);
    this.vendorDuration = this.histogram('desk_vendor_request_duration_seconds', 'Vendor API call time', ['service', 'vendor'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing<Counter<L>>(name) ?? new Counter({ name: checked(name), help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    return this.existing<Histogram<L>>(name) ?? new Histogram({ name: checked(name), help, labelNames, buckets, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.existing<Gauge<L>>(name) ?? new Gauge({ name: checked(name), help, labelNames, registers: [this.registry] });
  }

  /** For `AdapterRegistry`: every vendor HTTP call becomes desk_vendor_requests_total / _duration_seconds. */
  readonly vendorObserver: VendorCallObserver = (info) => {
    const status = info.status === null ? 'error' : String(info.status);
    this.vendorRequests.inc({ service: this.service, vendor: info.vendor, status });
    this.vendorDuration.observe({ service: this.service, vendor: info.vendor }, info.ms / 1000);
  };

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private existing<T>(name: string): T | undefined {
    // Asking twice for one metric (two handlers, one counter) returns the same instance instead of throwing.
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}

function checked(name: string): string {
  if (!name.startsWith(PREFIX)) throw new Error(`metric ${name} must start with ${PREFIX}`);
  return name;
}
