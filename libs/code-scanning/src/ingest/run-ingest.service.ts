import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import { PayloadTooLargeError, UnauthorizedError, counter, sameSecret } from '@th/platform';
import { CODE_SCANNING_SETTINGS, type CodeScanningConfig } from '../config';
import type { RunEvent } from '../contract/run-event.schema';
import { runKeyOf } from '../contract/run-key';
import { runEnvelope } from './codescan-envelopes';
import { runEventOf } from './run-file';

const acceptedRuns = counter(
  'codescan_runs_accepted_total',
  'Code-scanning run files accepted (pushed or pulled)',
  ['via'] as const,
);

/** A run event's JSON must fit one Kafka message (1 MB by default) with its envelope. */
const MAX_RUN_EVENT_CHARS = 900_000;

/** What `POST /api/runs` answers. */
export interface RunAccepted {
  accepted: true;
  target_repo: string;
  run_number: number;
  run_key: string;
  findings: number;
  fingerprints_computed: boolean;
}

/**
 * Run files in: each becomes one run event on the log, whether the action pushed it or refresh
 * pulled it from the action repo.
 */
@Injectable()
export class RunIngestService {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(CODE_SCANNING_SETTINGS) private readonly config: CodeScanningConfig,
  ) {}

  /** `Authorization: Bearer <RUNS_INGEST_TOKEN>` when the token is set. */
  checkToken(authorization: string | undefined): void {
    const expected = this.config.RUNS_INGEST_TOKEN;
    if (expected === undefined) return;
    const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (presented === undefined || !sameSecret(presented, expected)) {
      throw new UnauthorizedError('POST /api/runs needs Authorization: Bearer <RUNS_INGEST_TOKEN>');
    }
  }

  /** A run file → its checked run event (throws a validation error naming every bad field). */
  parse(body: unknown): RunEvent {
    const run = runEventOf(body);
    if (JSON.stringify(run).length > MAX_RUN_EVENT_CHARS) {
      throw new PayloadTooLargeError(
        `run file is too large for one run event: ${run.findings.length} findings and ${run.sessions.length} sessions`,
      );
    }
    return run;
  }

  /** Publishes the runs as one write: all of them are on the log, or none. */
  async publish(runs: readonly RunEvent[], via: 'push' | 'refresh' | 'backfill'): Promise<void> {
    const receivedAt = new Date().toISOString();
    await this.bus.publish(runs.map((run) => runEnvelope(run, receivedAt)));
    acceptedRuns.inc({ via }, runs.length);
  }

  async push(body: unknown): Promise<RunAccepted> {
    const run = this.parse(body);
    await this.publish([run], 'push');
    return {
      accepted: true,
      target_repo: run.targetRepoUrl,
      run_number: run.runNumber,
      run_key: runKeyOf(run),
      findings: run.findings.length,
      fingerprints_computed: run.fingerprintsComputed,
    };
  }
}
