import { Controller, HttpCode, Post } from '@nestjs/common';
import { Access, RendersErrorsWith } from '@th/platform';
import { renderDashboardError } from '../contract/dashboard-error-body';
import {
  type BackfillAnswer,
  type PollAnswer,
  type PollPrsAnswer,
  type RefreshAnswer,
  OutsideSyncService,
} from './outside-sync.service';

/**
 * The old dashboard's actions, same paths and answers: poll the session service, list the fork
 * repos' PRs, pull the run files of ACTION_REPO, patch what older runs lack.
 */
@Controller('api')
@Access('admin')
@RendersErrorsWith(renderDashboardError)
export class OutsideSyncController {
  constructor(private readonly sync: OutsideSyncService) {}

  @Post('poll')
  @HttpCode(200)
  poll(): Promise<PollAnswer> {
    return this.sync.poll();
  }

  @Post('poll-prs')
  @HttpCode(200)
  pollPrs(): Promise<PollPrsAnswer> {
    return this.sync.pollPullRequests();
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(): Promise<RefreshAnswer> {
    return this.sync.refresh();
  }

  @Post('backfill')
  @HttpCode(200)
  backfill(): Promise<BackfillAnswer> {
    return this.sync.backfill();
  }
}
