import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Field, Float, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { register } from 'prom-client';
import { routeAccessTable } from '../http/route-access-table';

@ObjectType({ description: "This process's own figures, from its Prometheus metrics" })
export class HubStatus {
  @Field(() => Float, { description: 'Telemetry requests accepted (2xx) per second over the last minute' })
  ingestPerSecond!: number;

  @Field(() => Float, {
    description:
      "Messages this process's projector is behind the log (0 in embedded mode, and in an api without a projector)",
  })
  consumerLag!: number;

  @Field(() => Float, {
    description: "Messages this process's projector sent to the dead letters since it started",
  })
  deadLetters!: number;

  @Field({ description: 'When these figures were read' })
  at!: string;
}

/** Sums a metric's samples (optionally filtered); 0 when the process has no such metric. */
async function sumOf(
  name: string,
  keep: (labels: Partial<Record<string, string | number>>) => boolean = () => true,
) {
  const metric = register.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  // A histogram's samples are its buckets, sum and count: only the count is a number of requests.
  return (
    values as { value: number; labels: Partial<Record<string, string | number>>; metricName?: string }[]
  )
    .filter((v) => (v.metricName === undefined || v.metricName.endsWith('_count')) && keep(v.labels))
    .reduce((total, v) => total + v.value, 0);
}

/** How often the accepted-request count is sampled, and over how long the rate is taken. */
const SAMPLE_MS = 5_000;
const RATE_WINDOW_MS = 60_000;

/**
 * `hubStatus`: the overview's live figures (ingest rate, consumer lag, dead letters), read from
 * this process's metrics, so the dashboard needs no other endpoint than GraphQL.
 */
@Injectable()
@Resolver(() => HubStatus)
export class HubStatusResolver implements OnModuleInit, OnModuleDestroy {
  private samples: { at: number; accepted: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ingestRoutes: Set<string> | undefined;

  constructor(private readonly modules: ModulesContainer) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  @Query(() => HubStatus, { description: "This process's ingest rate, consumer lag and dead letters" })
  async hubStatus(): Promise<HubStatus> {
    const now = await this.sample();
    const oldest = this.samples.find((s) => now.at - s.at <= RATE_WINDOW_MS) ?? now;
    const seconds = (now.at - oldest.at) / 1000;
    return {
      ingestPerSecond: seconds > 0 ? (now.accepted - oldest.accepted) / seconds : 0,
      consumerLag: await sumOf('projector_consumer_lag'),
      deadLetters: await sumOf('projector_dead_letters_total'),
      at: new Date(now.at).toISOString(),
    };
  }

  private async sample(): Promise<{ at: number; accepted: number }> {
    // The telemetry routes: those that take posts with no key (`ingest`) or their own credential.
    this.ingestRoutes ??= new Set(
      routeAccessTable(this.modules)
        .filter(
          (r) =>
            r.kind === 'http' &&
            r.method === 'POST' &&
            (r.decision === 'ingest' || r.decision === 'own-credential'),
        )
        .map((r) => r.path),
    );
    const routes = this.ingestRoutes;
    const accepted = await sumOf(
      'http_request_duration_seconds',
      (labels) => routes.has(String(labels.route)) && String(labels.status).startsWith('2'),
    );
    const sample = { at: Date.now(), accepted };
    this.samples = [...this.samples.filter((s) => sample.at - s.at <= RATE_WINDOW_MS * 2), sample];
    return sample;
  }
}
