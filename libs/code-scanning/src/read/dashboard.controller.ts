import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access, type FieldError, RendersErrorsWith, ValidationFailedError } from '@th/platform';
import { renderDashboardError } from '../contract/dashboard-error-body';
import type { IssueItem, PullRequestItem, RunItem, SessionItem } from './dashboard-views';
import { paginate } from './dashboard-stats';
import {
  type DashboardPage,
  DashboardService,
  type PageParams,
  type RepoDetail,
  type ScanRepoSummary,
  type ScanStats,
  repoSlugOf,
} from './dashboard.service';

/** The old dashboard's page size: 50 by default, at most 200 (larger asks are cut to 200). */
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

/** `?page=&per_page=` as the old dashboard read them (clamped), but a non-number is a 400. */
export function pageParams(page: string | undefined, perPage: string | undefined): PageParams {
  const errors: FieldError[] = [];
  const integer = (field: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined || raw === '') return fallback;
    if (!/^-?\d{1,9}$/.test(raw.trim())) {
      errors.push({ field, message: 'must be an integer' });
      return fallback;
    }
    return Number(raw);
  };
  const params = {
    page: Math.max(1, integer('page', page, 1)),
    perPage: Math.min(MAX_PER_PAGE, Math.max(1, integer('per_page', perPage, DEFAULT_PER_PAGE))),
  };
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return params;
}

/**
 * The old dashboard's read API, same paths and JSON shapes (telemetry/app.py at cf2be72), so the
 * scripts written against it keep working. `findings_fixed_rate` is ours, added beside `fix_rate`.
 */
@Controller('api')
@Access('read')
@RendersErrorsWith(renderDashboardError)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('stats')
  stats(): Promise<ScanStats> {
    return this.dashboard.stats();
  }

  @Get('repos')
  repos(): Promise<ScanRepoSummary[]> {
    return this.dashboard.repos();
  }

  @Get('runs')
  runs(@Query('page') page?: string, @Query('per_page') perPage?: string): Promise<DashboardPage<RunItem>> {
    return this.dashboard.runs(pageParams(page, perPage));
  }

  @Get('sessions')
  async sessions(
    @Query('page') page?: string,
    @Query('per_page') perPage?: string,
  ): Promise<DashboardPage<SessionItem>> {
    const params = pageParams(page, perPage);
    const sessions = await this.dashboard.sessions();
    return paginate(
      sessions.map((s) => s.item),
      params.page,
      params.perPage,
    );
  }

  @Get('prs')
  async prs(
    @Query('page') page?: string,
    @Query('per_page') perPage?: string,
  ): Promise<DashboardPage<PullRequestItem>> {
    const params = pageParams(page, perPage);
    return paginate(await this.dashboard.pullRequests(), params.page, params.perPage);
  }

  /** `?repo=` takes the target repo as the run files name it (its URL) or as `owner/repo`. */
  @Get('issues')
  async issues(
    @Query('repo') repo?: string,
    @Query('page') page?: string,
    @Query('per_page') perPage?: string,
  ): Promise<DashboardPage<IssueItem>> {
    const params = pageParams(page, perPage);
    const tracked = await this.dashboard.issues(repo ? repoSlugOf(repo) : undefined);
    return paginate(tracked.items, params.page, params.perPage);
  }

  @Get('repo/:owner/:repo')
  repo(
    @Param('owner') owner: string,
    @Param('repo') repo: string,
    @Query('page') page?: string,
    @Query('per_page') perPage?: string,
  ): Promise<RepoDetail> {
    return this.dashboard.repoDetail(`${owner}/${repo}`, pageParams(page, perPage));
  }
}
