import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { domainConfigProvider } from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { CODE_SCANNING_CONFIG, CODE_SCANNING_SETTINGS } from './config';
import { OutsideSyncController } from './ingest/outside-sync.controller';
import { OutsideSyncService } from './ingest/outside-sync.service';
import { RunIngestService } from './ingest/run-ingest.service';
import { RunsIngestController } from './ingest/runs-ingest.controller';
import {
  codescanPullRequestsProjection,
  codescanRunProjection,
  codescanSessionStatusProjection,
} from './projection/codescan.projection';
import { CodescanRepository } from './read/codescan.repository';
import { CodescanResolver } from './read/codescan.resolver';
import { DashboardController } from './read/dashboard.controller';
import { DashboardService } from './read/dashboard.service';

/** The GraphQL resolvers of this domain. */
export const CODE_SCANNING_RESOLVERS = [CodescanResolver] as const;

const settings = domainConfigProvider(CODE_SCANNING_SETTINGS, CODE_SCANNING_CONFIG);

/** Gateway role: `POST /api/runs`, the run files the action pushes. */
@Module({ controllers: [RunsIngestController], providers: [settings, RunIngestService] })
export class CodeScanningGatewayModule {}

/** Projector role: runs, polled session statuses and listed PRs become rows. */
@Module({})
export class CodeScanningProjectorModule implements OnModuleInit {
  constructor(@Inject(ProjectionRegistry) private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(codescanRunProjection);
    this.registry.register(codescanSessionStatusProjection);
    this.registry.register(codescanPullRequestsProjection);
  }
}

/**
 * Api role: the old dashboard's read API and GraphQL issue tracking, and its poll, refresh and
 * backfill actions (they read the store, then publish what they learn on the log).
 */
@Module({
  controllers: [DashboardController, OutsideSyncController],
  providers: [
    settings,
    CodescanRepository,
    DashboardService,
    RunIngestService,
    OutsideSyncService,
    ...CODE_SCANNING_RESOLVERS,
  ],
})
export class CodeScanningApiModule {}
