import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { Access, APP_CONFIG, type AppConfig } from '@th/platform';
import { storeTarget } from './clickhouse-client.factory';
import { CLICKHOUSE } from './store.tokens';

/** `GET /dbhealth`, as the jwc.v1 servers answer it: which store, whether it answers, its version. */
@Controller()
@Access('public')
export class StoreHealthController {
  constructor(
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
}
