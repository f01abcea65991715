import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { metricsRegistry } from './metrics';
import { ReadinessRegistry } from './readiness';

/** Liveness, readiness and Prometheus metrics, on every app. */
@Controller()
export class ObservabilityController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** Liveness: the process answers. */
  @Get('health')
  health(): { ok: true; ts: string } {
    return { ok: true, ts: new Date().toISOString() };
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
