import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import type { DomainContext } from '@th/contracts';
import { AccessModule } from '@th/access';
import { domainConfigProvider } from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { DEVELOPER_REPORTS_CONFIG, DEVELOPER_REPORTS_SETTINGS } from './config';
import { ClickHouseConnectionStore } from './connections/clickhouse-connection.store';
import { CONNECTION_STORE } from './connections/connection-store';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsResolver } from './connections/connections.resolver';
import { ConnectionsService } from './connections/connections.service';
import { DevLakeKeyGateGuard } from './connections/devlake-key-gate.guard';
import { KafkaConnectionStore } from './connections/kafka-connection.store';
import { ReportController } from './ingest/report.controller';
import { ReportIngestService } from './ingest/report-ingest.service';
import { developerMetricsProjection } from './projection/developer-metrics.projection';
import { DeveloperMetricsRepository } from './read/developer-metrics.repository';
import { DeveloperMetricsResolver } from './read/developer-metrics.resolver';

/** The GraphQL resolvers of this domain. */
export const DEVELOPER_REPORTS_RESOLVERS = [ConnectionsResolver, DeveloperMetricsResolver] as const;

/**
 * Connections, shared by the gateway and api roles (one instance, one cache, per process): kept in
 * ClickHouse in embedded mode, in the compacted connections topic in distributed mode. Memoised so
 * both roles import the very same module.
 */
@Global()
@Module({})
class ConnectionsModule {
  private static readonly byMode = new Map<DomainContext['mode'], DynamicModule>();

  static forRoot({ mode }: DomainContext): DynamicModule {
    let module = ConnectionsModule.byMode.get(mode);
    if (!module) {
      module = {
        module: ConnectionsModule,
        providers: [
          {
            provide: CONNECTION_STORE,
            useClass: mode === 'distributed' ? KafkaConnectionStore : ClickHouseConnectionStore,
          },
          domainConfigProvider(DEVELOPER_REPORTS_SETTINGS, DEVELOPER_REPORTS_CONFIG),
          ConnectionsService,
          DevLakeKeyGateGuard,
        ],
        exports: [ConnectionsService, DevLakeKeyGateGuard],
      };
      ConnectionsModule.byMode.set(mode, module);
    }
    return module;
  }
}

/** Gateway role: the DevLake plugin's REST API (connections and reports). */
@Module({})
export class DeveloperReportsGatewayModule {
  static forRoot(context: DomainContext): DynamicModule {
    return {
      module: DeveloperReportsGatewayModule,
      imports: [AccessModule.forRoot(context), ConnectionsModule.forRoot(context)],
      controllers: [ConnectionsController, ReportController],
      providers: [
        domainConfigProvider(DEVELOPER_REPORTS_SETTINGS, DEVELOPER_REPORTS_CONFIG),
        ReportIngestService,
      ],
    };
  }
}

/** Projector role: daily reports become developer_metrics rows. */
@Module({})
export class DeveloperReportsProjectorModule implements OnModuleInit {
  constructor(private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(developerMetricsProjection);
  }
}

/** Api role: GraphQL reads and connection management. */
@Module({})
export class DeveloperReportsApiModule {
  static forRoot(context: DomainContext): DynamicModule {
    return {
      module: DeveloperReportsApiModule,
      imports: [AccessModule.forRoot(context), ConnectionsModule.forRoot(context)],
      providers: [...DEVELOPER_REPORTS_RESOLVERS, DeveloperMetricsRepository],
    };
  }
}
