import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { metricsRegistry } from './metrics';
import { ReadinessRegistry } from './readiness';
import { Access } from '../http/access-decision';

/** Liveness, readiness and Prometheus metrics, on every app. */
@Controller()
@Access('public')
export class ObservabilityController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /**
   * Liveness: the process answers. `ts` is Unix milliseconds, as the jwc.v1 servers this replaces
   * answer it (`{"ok": true, "ts": 1640995200000}`): their monitors parse it so.
   */
  @Get('health')
  health(): { ok: true; ts: number } {
    return { ok: true, ts: Date.now() };
  }

  /** Readiness: every dependency answered; 503 with the failing checks otherwise. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    await reply.status(report.ready ? 200 : 503).send(report);
  }

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
