import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { APP_CONFIG, type AppConfig, UnauthorizedError, NotFoundError } from '@th/platform';
import { CLICKHOUSE, storeTarget } from '@th/store';
import { type AppEventRecord, type AppStats, AppStatsRepository } from './app-stats.repository';
import { statsFilter } from './stats-window';

/** The jwc.v1 server's read endpoints: store health, stats, and (with STATS_SECRET) debug views. */
@Controller()
export class StatsController {
  constructor(
    private readonly repository: AppStatsRepository,
    @Inject(CLICKHOUSE) private readonly client: ClickHouseClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('dbhealth')
  async dbHealth(@Res() reply: FastifyReply): Promise<void> {
    const db = storeTarget(this.config).kind === 'server' ? 'clickhouse' : 'chdb';
    try {
      const result = await this.client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
      const [{ version }] = await result.json<{ version: string }>();
      await reply.send({ enabled: true, ok: true, db, version });
    } catch (error) {
      await reply.status(503).send({
        enabled: true,
        ok: false,
        db,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  @Get('stats')
  async stats(@Query() query: Record<string, unknown>): Promise<AppStats & { windowDays: number }> {
    const filter = statsFilter(query, this.config.STATS_WINDOW_DAYS);
    return { ...(await this.repository.stats(filter)), windowDays: (filter.to - filter.from) / 86_400_000 };
  }

  /** The latest events, newest first (anon hashed). Needs STATS_SECRET in `x-stats-key`. */
  @Get('debug/recent')
  async recent(
    @Headers('x-stats-key') key: string | undefined,
    @Query('limit') limit = '50',
  ): Promise<{ rows: AppEventRecord[] }> {
    this.authorizeDebug(key);
    const size = Math.min(500, Math.max(1, Number.parseInt(limit, 10) || 50));
    const { items } = await this.repository.list(
      { from: 0, to: Date.now() + 86_400_000 },
      { limit: size, offset: 0 },
    );
    return { rows: items };
  }

  private authorizeDebug(key: string | undefined): void {
    if (!this.config.STATS_SECRET)
      throw new NotFoundError('debug endpoints are off (set STATS_SECRET to enable them)');
    const digest = (text: string) => createHash('sha256').update(text).digest();
    if (!timingSafeEqual(digest(key ?? ''), digest(this.config.STATS_SECRET))) {
      throw new UnauthorizedError('x-stats-key is missing or wrong');
    }
  }
}
