import { Module, type OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@th/projection';
import { ConnectionRepository } from './connections/connection.repository';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsResolver } from './connections/connections.resolver';
import { ConnectionsService } from './connections/connections.service';
import { developerMetricsProjection } from './metrics/developer-metrics.projection';
import { DeveloperMetricsRepository } from './metrics/developer-metrics.repository';
import { DeveloperMetricsResolver } from './metrics/developer-metrics.resolver';
import { ReportController } from './reports/report.controller';
import { ReportIngestService } from './reports/report-ingest.service';

/** Connections, shared by the gateway and api roles (one instance, one cache, per process). */
@Module({ providers: [ConnectionRepository, ConnectionsService], exports: [ConnectionsService] })
export class ConnectionsModule {}

/** Gateway role: the DevLake plugin's REST API (connections and reports). */
@Module({
  imports: [ConnectionsModule],
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
  imports: [ConnectionsModule],
  providers: [...API_RESOLVERS, DeveloperMetricsRepository],
})
export class DeveloperReportsApiModule {}
