import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import { BadRequestError, type FieldError, ValidationFailedError, counter } from '@th/platform';
import {
  CODE_SCANNING_SETTINGS,
  type CodeScanningConfig,
  DEFAULT_DEVIN_API_URL,
  DEFAULT_GITHUB_API_URL,
} from '../config';
import type { PullRequestsEvent, SessionStatusEvent } from '../contract/poll-events.schema';
import type { RunEvent } from '../contract/run-event.schema';
import { GitHubClient, type GitHubPull } from '../outside/github.client';
import { OutsideBadAnswerError } from '../outside/outside-errors';
import {
  SessionServiceClient,
  type SessionState,
  pollableSessionId,
} from '../outside/session-service.client';
import { TtlCache } from '../outside/ttl-cache';
import { CodescanRepository, type StoredPullRequest } from '../read/codescan.repository';
import {
  type PullRequestItem,
  type SessionItem,
  pullRequestItems,
  sessionViews,
} from '../read/dashboard-views';
import { sessionPrUrls } from '../tracking/pr-links';
import { pullRequestsEnvelope, sessionStatusEnvelope } from './codescan-envelopes';
import { RunIngestService } from './run-ingest.service';
import { runEventOfStored } from './stored-run-event';

const outsideCalls = counter(
  'codescan_outside_syncs_total',
  'POST /api/poll, /api/poll-prs, /api/refresh and /api/backfill, by outcome',
  ['action', 'outcome'] as const,
);

/** The answers of the four endpoints, in the old dashboard's shapes. */
export interface PollAnswer {
  sessions: SessionItem[];
  polled: number;
  /** Ours: sessions the service no longer knows (404), left as they were. */
  not_found: string[];
}
export interface PollPrsAnswer {
  prs: PullRequestItem[];
  total: number;
  /** Ours: repos GitHub does not show (404: deleted, or not readable with the token), skipped. */
  not_found: string[];
}
export interface RefreshAnswer {
  downloaded: number;
  total_files: number;
  /** Ours: files that are not run files, each with what is wrong (the old dashboard skipped them silently). */
  skipped: { name: string; errors: FieldError[] | string }[];
}
export interface BackfillAnswer {
  patched_files: number;
}

/** Calls at once to one service: a poll of many sessions neither crawls nor floods it. */
const CONCURRENCY = 4;

async function mapLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

/** `owner/repo` of a https://github.com URL, undefined for anything else. */
function githubRepoOf(url: string | null): string | undefined {
  if (!url) return undefined;
  const match = /^https:\/\/github\.com\/([^/]+\/[^/]+?)\/?$/.exec(url);
  return match?.[1];
}

const fileKey = (file: { name: string; sha: string }) => `${file.name}@${file.sha}`;

/**
 * One session or repo that is gone (404) is noted and skipped, as the old dashboard skipped it;
 * any other failure fails the whole action, before anything is published.
 */
async function unlessGone<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OutsideBadAnswerError && error.upstreamStatus === 404) return undefined;
    throw error;
  }
}

/** 400 naming the settings an endpoint lacks, as the old dashboard answered `/api/refresh`. */
function requireSettings(settings: Record<string, string | undefined>): void {
  const missing = Object.entries(settings)
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (missing.length > 0) throw new BadRequestError(`${missing.join(' and ')} required`);
}

/**
 * The old dashboard's outside calls, as events: what the session service and GitHub answer is
 * published on the log like a pushed run, never written to the store directly. Every call of an
 * action is made before anything is published, so a failure (401, rate limit, 5xx, timeout)
 * leaves nothing half-written: the client gets the error and nothing changed.
 */
@Injectable()
export class OutsideSyncService {
  private readonly sessionCache: TtlCache<SessionState>;
  private readonly pullsCache: TtlCache<GitHubPull[]>;
  private readonly filesCache: TtlCache<{ body: unknown }>;
  /** One client per service for the process: it remembers GitHub's rate-limit reset between calls. */
  private readonly github: GitHubClient;
  private readonly sessionService: SessionServiceClient;
  /** Run files (name and sha) this process has published from ACTION_REPO. */
  private readonly refreshed = new Set<string>();

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(CODE_SCANNING_SETTINGS) private readonly config: CodeScanningConfig,
    private readonly repository: CodescanRepository,
    private readonly runs: RunIngestService,
  ) {
    const ttl = config.CACHE_TTL * 1000;
    this.sessionCache = new TtlCache(ttl);
    this.pullsCache = new TtlCache(ttl);
    this.filesCache = new TtlCache(ttl);
    this.github = new GitHubClient({
      token: config.GITHUB_TOKEN ?? '',
      apiUrl: config.GITHUB_API_URL ?? DEFAULT_GITHUB_API_URL,
      timeoutMs: config.OUTSIDE_TIMEOUT_MS,
      retries: config.OUTSIDE_RETRIES,
    });
    this.sessionService = new SessionServiceClient({
      apiKey: config.DEVIN_API_KEY ?? '',
      baseUrl: config.DEVIN_API_URL ?? DEFAULT_DEVIN_API_URL,
      timeoutMs: config.OUTSIDE_TIMEOUT_MS,
      retries: config.OUTSIDE_RETRIES,
    });
  }

  private async counted<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      outsideCalls.inc({ action, outcome: 'ok' });
      return result;
    } catch (error) {
      outsideCalls.inc({ action, outcome: 'error' });
      throw error;
    }
  }

  /** `POST /api/poll`: every session's status from the session service. */
  poll(): Promise<PollAnswer> {
    return this.counted('poll', async () => {
      requireSettings({ DEVIN_API_KEY: this.config.DEVIN_API_KEY });
      const [runs, statuses, storedPrs] = await Promise.all([
        this.repository.runs(),
        this.repository.sessionStatuses(),
        this.repository.pullRequests(),
      ]);
      const ids = [...new Set(runs.flatMap((run) => run.sessions.map((s) => s.sessionId)))].filter(
        pollableSessionId,
      );
      const answers = await mapLimited(ids, async (sessionId) => {
        const cached = this.sessionCache.get(sessionId);
        if (cached) return cached;
        const state = await unlessGone(() => this.sessionService.getSession(sessionId));
        if (state) this.sessionCache.set(sessionId, state);
        return state;
      });
      const event: SessionStatusEvent = {
        observedAt: new Date().toISOString(),
        sessions: ids.flatMap((sessionId, i) => {
          const answer = answers[i];
          return answer ? [{ sessionId, status: answer.status, prUrl: answer.prUrl }] : [];
        }),
      };
      if (event.sessions.length > 0) await this.bus.publish([sessionStatusEnvelope(event)]);
      // The answer shows what was just learnt, whether or not the projection has stored it yet.
      const observed = event.sessions.map((s) => ({ ...s, observedAt: event.observedAt }));
      const prs = pullRequestItems(storedPrs, runs);
      const sessions = sessionViews(runs, [...statuses, ...observed], prs).map((view) => view.item);
      return { sessions, polled: sessions.length, not_found: ids.filter((_, i) => answers[i] === undefined) };
    });
  }

  /** `POST /api/poll-prs`: the PRs of every fork and target repo of the stored runs, from GitHub. */
  pollPullRequests(): Promise<PollPrsAnswer> {
    return this.counted('poll-prs', async () => {
      requireSettings({ GITHUB_TOKEN: this.config.GITHUB_TOKEN });
      const runs = await this.repository.runs();
      const repos = [
        ...new Set(runs.flatMap((run) => [githubRepoOf(run.forkUrl), githubRepoOf(run.targetRepoUrl)])),
      ].filter((repo): repo is string => repo !== undefined);
      const listed = await mapLimited(repos, async (repo) => {
        const cached = this.pullsCache.get(repo);
        if (cached) return cached;
        const pulls = await unlessGone(() => this.github.listPulls(repo));
        if (pulls) this.pullsCache.set(repo, pulls);
        return pulls;
      });
      const polledAt = new Date().toISOString();
      const found = repos.flatMap((repo, i) => {
        const pulls = listed[i];
        return pulls ? [{ repo, pulls }] : [];
      });
      const events: PullRequestsEvent[] = found.map(({ repo, pulls }) => ({
        repo,
        polledAt,
        pulls: pulls.map((pull) => ({
          number: pull.number,
          title: pull.title,
          body: pull.body ?? '',
          htmlUrl: pull.html_url,
          state: pull.state,
          merged: pull.merged_at !== null,
          createdAt: pull.created_at,
          userLogin: pull.user_login,
        })),
      }));
      await this.bus.publish(events.map(pullRequestsEnvelope));
      const stored: StoredPullRequest[] = events.flatMap((event) =>
        event.pulls.map((pull) => ({ repo: event.repo, ...pull })),
      );
      const prs = pullRequestItems(stored, runs);
      return { prs, total: prs.length, not_found: repos.filter((_, i) => listed[i] === undefined) };
    });
  }

  /** `POST /api/refresh`: the run files of ACTION_REPO, each published as a pushed run would be. */
  refresh(): Promise<RefreshAnswer> {
    return this.counted('refresh', async () => {
      requireSettings({ GITHUB_TOKEN: this.config.GITHUB_TOKEN, ACTION_REPO: this.config.ACTION_REPO });
      const files = await this.github.listRunFiles(this.config.ACTION_REPO ?? '');
      // A file is downloaded again only when its content (sha) changed or the cache expired.
      const bodies = await mapLimited(files, async (file) => {
        const key = fileKey(file);
        const cached = this.filesCache.get(key);
        if (cached !== undefined) return { file, body: cached.body };
        const body = await this.github.downloadJson(file.download_url);
        this.filesCache.set(key, { body });
        return { file, body };
      });
      const runs: RunEvent[] = [];
      const taken: string[] = [];
      const skipped: RefreshAnswer['skipped'] = [];
      for (const { file, body } of bodies) {
        try {
          const run = this.runs.parse(body);
          // A file already on the log (this name, this content) is not published again.
          if (this.refreshed.has(fileKey(file))) continue;
          runs.push(run);
          taken.push(fileKey(file));
        } catch (error) {
          skipped.push({
            name: file.name,
            errors: error instanceof ValidationFailedError ? error.errors : (error as Error).message,
          });
        }
      }
      if (runs.length > 0) await this.runs.publish(runs, 'refresh');
      for (const key of taken) this.refreshed.add(key);
      const downloaded = runs.length;
      return { downloaded, total_files: files.length, skipped };
    });
  }

  /**
   * `POST /api/backfill`: what older runs lack, recomputed and published as a corrected run. The
   * hub fingerprints every run and drops empty issue ids when it takes the file in, so what is left
   * to patch is each session's PR URL, from the linked PRs.
   */
  backfill(): Promise<BackfillAnswer> {
    return this.counted('backfill', async () => {
      const [runs, storedPrs] = await Promise.all([
        this.repository.runsWithFindings(),
        this.repository.pullRequests(),
      ]);
      const prs = pullRequestItems(storedPrs, runs).map((pr) => ({
        sessionId: pr.session_id,
        issueIds: pr.issue_ids,
        htmlUrl: pr.html_url,
      }));
      const patched: RunEvent[] = [];
      for (const run of runs) {
        const urls = sessionPrUrls(run.sessions, prs);
        if (run.sessions.every((session, i) => session.prUrl === urls[i])) continue;
        const event = runEventOfStored(run);
        event.sessions = run.sessions.map((session, i) => ({ ...session, prUrl: urls[i] }));
        patched.push(event);
      }
      if (patched.length > 0) await this.runs.publish(patched, 'backfill');
      return { patched_files: patched.length };
    });
  }
}
