import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { DomainContext } from '@th/contracts';
import { APP_CONFIG, anonHasherFor, type AppConfig, domainConfigProvider } from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { PR_TRACES_CONFIG, PR_TRACES_SETTINGS } from './config';
import { RecentTraceEvents, SEEN_TRACE_EVENTS, StoredTraceEvents } from './ingest/seen-trace-events';
import { TRACE_HASHER, TraceIngestService } from './ingest/trace-ingest.service';
import { TracesIngestController } from './ingest/traces-ingest.controller';
import { TraceProjection } from './projection/trace.projection';
import { PrTraceResolver } from './read/trace.resolver';
import { TraceRepository } from './read/trace.repository';
import { TracesController } from './read/traces.controller';

/** The GraphQL resolvers of this domain. */
export const PR_TRACES_RESOLVERS = [PrTraceResolver] as const;

const settings = domainConfigProvider(PR_TRACES_SETTINGS, PR_TRACES_CONFIG);

/** Gateway role: `POST /ingest`. Developers are hashed with the key every input shares. */
@Module({})
export class PrTracesGatewayModule {
  static forRoot({ mode }: DomainContext): DynamicModule {
    return {
      module: PrTracesGatewayModule,
      controllers: [TracesIngestController],
      providers: [
        settings,
        {
          provide: TRACE_HASHER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => anonHasherFor(config, mode),
        },
        {
          provide: SEEN_TRACE_EVENTS,
          // Only the embedded gateway has the store beside it; a distributed one has Kafka only.
          useClass: mode === 'embedded' ? StoredTraceEvents : RecentTraceEvents,
        },
        TraceIngestService,
      ],
    };
  }
}

/** Projector role: trace batches become pr_traces and trace_events rows, numbered per trace. */
@Module({ providers: [TraceProjection] })
export class PrTracesProjectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ProjectionRegistry,
    @Inject(TraceProjection) private readonly projection: TraceProjection,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.projection);
  }
}

/** Api role: trace replay (REST and GraphQL) and per-PR analytics. */
@Module({
  controllers: [TracesController],
  providers: [settings, TraceRepository, ...PR_TRACES_RESOLVERS],
})
export class PrTracesApiModule {}
