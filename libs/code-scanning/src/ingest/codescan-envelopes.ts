import { createHash } from 'node:crypto';
import type { Envelope } from '@th/contracts';
import {
  CODESCAN_PULL_REQUESTS_KIND,
  CODESCAN_SESSION_STATUS_KIND,
  type PullRequestsEvent,
  type SessionStatusEvent,
} from '../contract/poll-events.schema';
import { CODESCAN_RUN_KIND, type RunEvent } from '../contract/run-event.schema';
import { runKeyOf } from '../contract/run-key';

const SOURCE = 'code-scanning';

function contentId(prefix: string, ...parts: unknown[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(JSON.stringify(part)).update('\0');
  return `${prefix}/${digest.digest('hex')}`;
}

/**
 * One run, pushed, pulled by refresh or patched by backfill: keyed by its target repo, so one
 * consumer applies a repo's runs in the order they were received. The same content has the same id.
 */
export function runEnvelope(run: RunEvent, receivedAt: string): Envelope<RunEvent> {
  return {
    id: contentId('codescan-run', run.targetRepo, runKeyOf(run), run),
    kind: CODESCAN_RUN_KIND,
    source: SOURCE,
    key: run.targetRepo,
    receivedAt,
    schemaVersion: 1,
    payload: run,
  };
}

/** One poll of the session service: every status it answered, observed at one time. */
export function sessionStatusEnvelope(event: SessionStatusEvent): Envelope<SessionStatusEvent> {
  return {
    id: contentId('codescan-session-status', event),
    kind: CODESCAN_SESSION_STATUS_KIND,
    source: SOURCE,
    key: 'session-statuses',
    receivedAt: event.observedAt,
    schemaVersion: 1,
    payload: event,
  };
}

/** One listing of one repo's PRs. */
export function pullRequestsEnvelope(event: PullRequestsEvent): Envelope<PullRequestsEvent> {
  return {
    id: contentId('codescan-pull-requests', event),
    kind: CODESCAN_PULL_REQUESTS_KIND,
    source: SOURCE,
    key: event.repo,
    receivedAt: event.polledAt,
    schemaVersion: 1,
    payload: event,
  };
}
