import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AdapterRegistry, loadDeskConfig } from '@desk/adapters';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadConfig, PlatformEnv } from './config/config';
import { DeskConfigService } from './config/desk-config.service';
import { PlatformCore } from './core';
import { DatabaseOptions } from './database/data-source';
import { HealthController } from './health/health.controller';
import { AuditService } from './ledger/audit.service';
import { LifecycleLedger } from './ledger/lifecycle-ledger';
import { DeskLogger } from './logging/logger';
import { NatsConnectionService } from './messaging/nats-connection.service';
import { UnitOfWork } from './messaging/unit-of-work';
import { DeskMetrics } from './metrics/metrics';
import { TransportRef } from './transport/transport-ref';

export interface ServiceOptions extends DatabaseOptions {
  /** Service name: durable consumer prefix, schema (`-` → `_`), log and metric label. */
  name: string;
  /** The service's env schema (PlatformEnv.extend({...})); default PlatformEnv. */
  env?: z.ZodType<PlatformEnv>;
}

export const SERVICE_OPTIONS = Symbol('desk.service-options');

/** Options of every service module evaluated in this process (migrate.js finds a service's migrations here). */
export const declaredServices = new Map<string, ServiceOptions>();

@Injectable()
class PlatformLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(@Inject(PlatformCore) private readonly core: PlatformCore, @Inject(TransportRef) private readonly ref: TransportRef) {}

  // Consumers drain before connections close: in-flight handlers still need the database and NATS.
  async beforeApplicationShutdown(): Promise<void> {
    await this.ref.transport?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.core.close();
  }
}

@Module({})
export class PlatformModule {
  static forService(options: ServiceOptions): DynamicModule {
    declaredServices.set(options.name, options);
    return {
      module: PlatformModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_OPTIONS, useValue: options },
        { provide: DeskConfigService, useFactory: () => new DeskConfigService(loadConfig(options.env ?? PlatformEnv)) },
        {
          provide: PlatformCore,
          inject: [DeskConfigService],
          useFactory: (cfg: DeskConfigService) => PlatformCore.create(options.name, cfg.env, options),
        },
        { provide: DataSource, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.ds },
        { provide: NatsConnectionService, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.nats },
        { provide: DeskMetrics, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.metrics },
        { provide: DeskLogger, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.logger },
        { provide: UnitOfWork, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.uow },
        { provide: LifecycleLedger, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.ledger },
        { provide: AuditService, inject: [PlatformCore], useFactory: (c: PlatformCore) => c.audit },
        {
          // Building the registry only parses the desk config; vendor clients are created on first use.
          provide: AdapterRegistry,
          inject: [DeskConfigService, DeskMetrics],
          useFactory: (cfg: DeskConfigService, m: DeskMetrics) => new AdapterRegistry(loadDeskConfig(cfg.env.DESK_CONFIG), m.vendorObserver),
        },
        TransportRef,
        PlatformLifecycle,
      ],
      exports: [
        SERVICE_OPTIONS, DeskConfigService, PlatformCore, DataSource, NatsConnectionService, DeskMetrics, DeskLogger,
        UnitOfWork, LifecycleLedger, AuditService, AdapterRegistry, TransportRef,
      ],
    };
  }
}
