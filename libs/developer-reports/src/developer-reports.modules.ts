import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@th/projection';
import { ClickHouseConnectionStore } from './connections/clickhouse-connection.store';
import { CONNECTION_STORE } from './connections/connection-store';
import { KafkaConnectionStore } from './connections/kafka-connection.store';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsResolver } from './connections/connections.resolver';
import { ConnectionsService } from './connections/connections.service';
import { developerMetricsProjection } from './metrics/developer-metrics.projection';
import { DeveloperMetricsRepository } from './metrics/developer-metrics.repository';
import { DeveloperMetricsResolver } from './metrics/developer-metrics.resolver';
import { ReportController } from './reports/report.controller';
import { ReportIngestService } from './reports/report-ingest.service';

/**
 * Connections, shared by the gateway and api roles (one instance, one cache, per process), kept in
 * ClickHouse (embedded) or in the compacted connections topic (distributed). The app root picks.
 */
@Global()
@Module({})
export class ConnectionsModule {
  static forRoot(store: 'clickhouse' | 'kafka'): DynamicModule {
    return {
      module: ConnectionsModule,
      providers: [
        {
          provide: CONNECTION_STORE,
          useClass: store === 'kafka' ? KafkaConnectionStore : ClickHouseConnectionStore,
        },
        ConnectionsService,
      ],
      exports: [ConnectionsService],
    };
  }
}

/** Gateway role: the DevLake plugin's REST API (connections and reports). */
@Module({
  controllers: [ConnectionsController, ReportController],
  providers: [ReportIngestService],
})
export class DeveloperReportsGatewayModule {}

/** Projector role: daily reports become developer_metrics rows. */
@Module({})
export class DeveloperReportsProjectorModule implements OnModuleInit {
  constructor(private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(developerMetricsProjection);
  }
}

/** The GraphQL resolvers of this domain (also used to print the committed schema). */
export const API_RESOLVERS = [ConnectionsResolver, DeveloperMetricsResolver] as const;

/** Api role: GraphQL reads and connection management. */
@Module({
  providers: [...API_RESOLVERS, DeveloperMetricsRepository],
})
export class DeveloperReportsApiModule {}
