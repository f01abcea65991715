import { createHash, randomUUID } from 'node:crypto';
import { type Admin, Kafka } from 'kafkajs';
import { CODESCAN_TOPIC } from '@th/code-scanning';
import { TOPICS } from '@th/contracts';
import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { graphql, request } from '../helpers/http';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app';

const REPOS = 6;
const RUNS_PER_REPO = 8;
const RUNS = REPOS * RUNS_PER_REPO;
/** Candidate findings of each repo; which runs each is in is decided by {@link present}. */
const FINDINGS = 13;
const CONCURRENCY = 4;
/** Every run whose index (over all runs) has this remainder is sent twice: an action whose answer was lost. */
const RESEND_EVERY = 5;
const RESENT = 2;
/** A resend goes this many sends after its first copy: later runs of its repo may be in between. */
const RESEND_LAG = 7;
const SENDS = RUNS + Math.ceil((RUNS - RESENT) / RESEND_EVERY);
/** The projector is killed once this many sends are answered. */
const KILL_AFTER = Math.floor(SENDS / 2);
const LATEST = RUNS_PER_REPO - 1;

const SEVERITIES = ['high', 'medium', 'low'];
const FAMILIES = ['injection', 'xss', 'logging'];

type Status = 'recurring' | 'new' | 'fixed';

/**
 * Whether finding `j` of repo `r` is in run `k` (0 is the oldest run, LATEST the latest): always
 * there, there from a later run on, fixed, new in the latest run, fixed and back, in alternate
 * runs, and patterns that differ from repo to repo.
 */
function present(r: number, j: number, k: number): boolean {
  switch (j) {
    case 0:
      return true;
    case 1:
      return k >= r % 3;
    case 2:
      return k <= LATEST - 2;
    case 3:
      return k === LATEST;
    case 4:
      return k <= 3 || k === LATEST;
    case 5:
      return k === LATEST - 1;
    case 6:
      return k >= LATEST - 1;
    case 7:
      return k % 2 === 0;
    case 8:
      return k % 2 === 1;
    case 9:
      return (k + r) % 3 === 0;
    case 10:
      return (k * (r + 1)) % 4 !== 1;
    case 11:
      return k !== LATEST - 1;
    default:
      return k === r;
  }
}

interface RunFinding {
  id: string;
  fingerprint: string;
  rule_id: string;
  severity_tier: string;
  cwe_family: string;
  file: string;
  start_line: number;
}

/** A run file as the action writes it. */
interface RunFile {
  target_repo: string;
  fork_url: string;
  run_number: number;
  run_id?: number;
  run_label: string;
  timestamp: string;
  issues_found: number;
  severity_breakdown: Record<string, number>;
  category_breakdown: Record<string, number>;
  batches_created: number;
  sessions: [];
  issue_fingerprints: RunFinding[];
}

interface Repo {
  /** owner/repo */
  slug: string;
  url: string;
  runs: RunFile[];
}

/** What /api/issues must say of one finding. */
interface ExpectedIssue {
  fingerprint: string;
  status: Status;
  appearances: number;
  run_numbers: number[];
  first_seen_run: number;
  first_seen_date: string;
  last_seen_run: number;
  last_seen_date: string;
  latest_issue_id: string;
}

interface IssueItem extends ExpectedIssue {
  target_repo: string;
}

interface IssuesPage {
  items: IssueItem[];
  total: number;
  pages: number;
}

interface RepoSummary {
  repo: string;
  runs: number;
  issues_found: number;
}

interface Stats {
  repo_list: string[];
  total_runs: number;
  total_issues: number;
}

interface RunAccepted {
  accepted: boolean;
  target_repo: string;
  run_number: number;
  run_key: string;
  findings: number;
  fingerprints_computed: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const fingerprintOf = (slug: string, j: number) =>
  createHash('sha256').update(`${slug}|finding-${j}`).digest('hex').slice(0, 16);

function makeRepo(marker: string, r: number): Repo {
  const slug = `acme/codescan-crash-${marker}-${r}`;
  const url = `https://github.com/${slug}`;
  const runs = Array.from({ length: RUNS_PER_REPO }, (_, k): RunFile => {
    const runNumber = 40 + k;
    const findings: RunFinding[] = [];
    for (let j = 0; j < FINDINGS; j++) {
      if (!present(r, j, k)) continue;
      findings.push({
        id: `CQLF-R${runNumber}-${pad(findings.length + 1, 4)}`,
        fingerprint: fingerprintOf(slug, j),
        rule_id: `py/rule-${j}`,
        severity_tier: SEVERITIES[j % SEVERITIES.length],
        cwe_family: FAMILIES[j % FAMILIES.length],
        file: `src/module_${j}.py`,
        start_line: 10 + 7 * j,
      });
    }
    const tally = (of: (f: RunFinding) => string) =>
      findings.reduce<Record<string, number>>(
        (counts, f) => ({ ...counts, [of(f)]: (counts[of(f)] ?? 0) + 1 }),
        {},
      );
    return {
      target_repo: url,
      fork_url: `https://github.com/acme-bot/codescan-crash-${marker}-${r}`,
      run_number: runNumber,
      // Half the repos' runs are identified by the action's run id, the others by run number.
      ...(r % 2 === 0 ? { run_id: 900_000 + r * 100 + k } : {}),
      run_label: `run-${runNumber}`,
      // Each repo's runs a day apart, the latest last; repos an hour apart.
      timestamp: `2026-05-${pad(k + 1)}T${pad(r + 8)}:00:00+00:00`,
      issues_found: findings.length,
      severity_breakdown: tally((f) => f.severity_tier),
      category_breakdown: tally((f) => f.cwe_family),
      batches_created: 0,
      sessions: [],
      issue_fingerprints: findings,
    };
  });
  return { slug, url, runs };
}

/**
 * The expected issues of one repo, by the rule alone: runs in timestamp order; a finding in the
 * latest run is recurring when it was in the run before too, else new; one not in it is fixed.
 */
function expectedIssues(repo: Repo): Map<string, ExpectedIssue> {
  const ordered = [...repo.runs].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const latest = ordered[ordered.length - 1];
  const before = ordered[ordered.length - 2];
  const has = (run: RunFile, fingerprint: string) =>
    run.issue_fingerprints.some((f) => f.fingerprint === fingerprint);
  const fingerprints = new Set(ordered.flatMap((run) => run.issue_fingerprints.map((f) => f.fingerprint)));
  const expected = new Map<string, ExpectedIssue>();
  for (const fingerprint of fingerprints) {
    const seenIn = ordered.filter((run) => has(run, fingerprint));
    const first = seenIn[0];
    const last = seenIn[seenIn.length - 1];
    expected.set(fingerprint, {
      fingerprint,
      status: !has(latest, fingerprint) ? 'fixed' : has(before, fingerprint) ? 'recurring' : 'new',
      appearances: seenIn.length,
      run_numbers: seenIn.map((run) => run.run_number),
      first_seen_run: first.run_number,
      first_seen_date: first.timestamp,
      last_seen_run: last.run_number,
      last_seen_date: last.timestamp,
      latest_issue_id: last.issue_fingerprints.find((f) => f.fingerprint === fingerprint)!.id,
    });
  }
  return expected;
}

/** Each repo's runs in a send order of its own: in order, reversed, or shuffled (a fixed shuffle). */
function sendOrder(r: number): number[] {
  const inOrder = Array.from({ length: RUNS_PER_REPO }, (_, k) => k);
  if (r % 3 === 0) return inOrder;
  if (r % 3 === 1) return inOrder.reverse();
  return [3, 0, 7, 1, 5, 2, 6, 4].filter((k) => k < RUNS_PER_REPO);
}

const STATUS_RANK: Record<Status, number> = { recurring: 0, new: 1, fixed: 2 };

/**
 * kill -9 of the projector while code-scanning run files are in flight, then a restart on the same
 * data and consumer group: every run is stored once (resends and redeliveries included), and the
 * statuses the api computes at read time are exactly those of the runs in timestamp order.
 *
 * The projector runs as the projector role alone, and the answers are read from the api app on
 * its data once it is done (chDB: one process per directory), so the api app's start and reads on
 * a store the projector wrote are part of the check.
 */
describe('code scanning: projector killed with SIGKILL mid-ingestion', () => {
  const dataDir = makeDataDir();
  const group = uniqueGroup();
  const kafka = new Kafka({
    clientId: 'codescan-crash-test',
    brokers: [process.env.KAFKA_BROKERS ?? ''],
    logLevel: 0,
  });
  let admin: Admin | undefined;
  let gateway: RunningRole;
  let projector: ProjectorProcess | undefined;
  let api: (SpawnedApp & { url: string }) | undefined;

  beforeAll(async () => {
    gateway = await startGateway();
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    projector?.child.kill('SIGKILL');
    await projector?.exited;
    api?.child.kill('SIGKILL');
    await api?.exited;
    await gateway?.stop();
    await admin?.disconnect();
    removeDataDir(dataDir);
  });

  const startProjector = () =>
    spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group, PROJECTOR_SERVE_API: 'false' });

  const post = async (run: RunFile): Promise<void> => {
    const response = await request(`${gateway.url}/api/runs`, { body: run });
    expect(response.status).toBe(200);
    const expected: RunAccepted = {
      accepted: true,
      target_repo: run.target_repo,
      run_number: run.run_number,
      run_key: run.run_id === undefined ? `n:${run.run_number}` : `id:${run.run_id}`,
      findings: run.issue_fingerprints.length,
      fingerprints_computed: false,
    };
    expect(response.body).toEqual(expected);
  };

  const get = async <T>(path: string): Promise<T> => {
    const response = await request(`${api!.url}${path}`);
    expect(response.status).toBe(200);
    return response.body as T;
  };

  /** Each partition's end offset of the topic now. */
  const topicEnds = async (topic: string): Promise<Map<number, bigint>> =>
    new Map((await admin!.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));

  /** The offsets the consumer group committed on the run topic (0 where none yet). */
  const committed = async (): Promise<Map<number, bigint>> => {
    const [topic] = await admin!.fetchOffsets({ groupId: group, topics: [CODESCAN_TOPIC] });
    return new Map(topic.partitions.map((p) => [p.partition, BigInt(p.offset) < 0n ? 0n : BigInt(p.offset)]));
  };

  /** Messages of this suite's the group committed past: those after `from` in each partition. */
  const committedSince = async (from: Map<number, bigint>): Promise<number> => {
    let count = 0n;
    for (const [partition, offset] of await committed()) {
      const past = offset - (from.get(partition) ?? 0n);
      if (past > 0n) count += past;
    }
    return Number(count);
  };

  /** The dead letters from the run topic that name this suite's repos, read to the topic's end. */
  const deadLettersOf = async (marker: string): Promise<string[]> => {
    const ends = [...(await topicEnds(TOPICS.deadLetters))].filter(([, end]) => end > 0n);
    if (ends.length === 0) return [];
    const consumer = kafka.consumer({ groupId: uniqueGroup() });
    const reached = new Map<number, bigint>();
    const letters: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPICS.deadLetters, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          reached.set(partition, BigInt(message.offset) + 1n);
          const source = message.headers?.['source-topic']?.toString() ?? '';
          const key = message.key?.toString('utf8') ?? '';
          const value = message.value?.toString('utf8') ?? '';
          if (source === CODESCAN_TOPIC && (key.includes(marker) || value.includes(marker))) {
            letters.push(`${key}: ${message.headers?.reason?.toString() ?? ''}`);
          }
          return Promise.resolve();
        },
      });
      await eventually(
        () =>
          Promise.resolve(
            ends.every(([partition, end]) => (reached.get(partition) ?? 0n) >= end) ? true : undefined,
          ),
        30_000,
        'the dead letters read to the end',
      );
    } finally {
      await consumer.disconnect();
    }
    return letters;
  };

  it('gives every finding its exact status, appearances and runs, and counts every run once', async () => {
    const marker = randomUUID().slice(0, 8);
    const repos = Array.from({ length: REPOS }, (_, r) => makeRepo(marker, r));
    const expected = repos.map(expectedIssues);
    // The plan covers every status in every repo, and a finding that was fixed and came back.
    for (const issues of expected) {
      const statuses = new Set([...issues.values()].map((i) => i.status));
      expect([...statuses].sort()).toEqual(['fixed', 'new', 'recurring']);
      expect([...issues.values()].some((i) => i.status === 'new' && i.appearances > 1)).toBe(true);
    }
    const expectedIssuesTotal = repos.reduce(
      (sum, repo) => sum + repo.runs.reduce((n, run) => n + run.issues_found, 0),
      0,
    );

    // The repos' runs interleaved, each repo's in its own order; some runs sent again a little later.
    const firstSends = Array.from({ length: RUNS_PER_REPO }, (_, i) =>
      repos.map((repo, r) => repo.runs[sendOrder(r)[i]]),
    ).flat();
    const queue: RunFile[] = [...firstSends];
    firstSends.forEach((run, index) => {
      if (index % RESEND_EVERY !== RESENT) return;
      const at = Math.min(queue.indexOf(run, index) + RESEND_LAG, queue.length);
      queue.splice(at, 0, structuredClone(run));
    });
    expect(queue).toHaveLength(SENDS);
    expect(new Set(queue.map((run) => `${run.target_repo} ${run.run_number}`)).size).toBe(RUNS);

    // Where the run topic ended before this suite: what comes after is this suite's.
    const before = await topicEnds(CODESCAN_TOPIC);
    projector = await startProjector();
    const crashed = projector;
    let answered = 0;
    let committedBeforeKill = 0;
    let killing: Promise<void> | undefined;
    const waitThenKill = async () => {
      committedBeforeKill = await eventually(
        async () => {
          const count = await committedSince(before);
          return count > 0 ? count : undefined;
        },
        30_000,
        'some runs stored and committed before the kill',
      );
      crashed.child.kill('SIGKILL');
    };

    const send = async () => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        // Once the kill is under way, the rest is sent after it: the projector cannot have caught
        // up with everything before it died.
        if (killing) await killing;
        await post(run);
        if (++answered === KILL_AFTER) killing = waitThenKill();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    await killing;
    expect(answered).toBe(SENDS);
    expect(await crashed.exited).toBe('SIGKILL');
    expect(committedBeforeKill).toBeGreaterThan(0);
    expect(committedBeforeKill).toBeLessThan(SENDS);

    // Every send is one message on the topic: a resend is published again, and must count once.
    const ends = await topicEnds(CODESCAN_TOPIC);
    const published = [...ends].reduce(
      (n, [partition, end]) => n + Number(end - (before.get(partition) ?? 0n)),
      0,
    );
    // (At least: another suite may publish runs of its own meanwhile.)
    expect(published).toBeGreaterThanOrEqual(SENDS);

    projector = await startProjector();
    // The new process consumes to the end of the topic: what the dead one had not committed, and the rest.
    await eventually(
      async () => {
        const at = await committed();
        return [...ends].every(([partition, end]) => (at.get(partition) ?? 0n) >= end) ? true : undefined;
      },
      75_000,
      `the projector to commit to the end of ${CODESCAN_TOPIC}`,
    );
    const metrics = await fetch(`${projector.url}/metrics`).then((r) => r.text());
    const deadLettered = /^projector_dead_letters_total\{topic="telemetry\.codescan\.v1"\} (\d+)$/m.exec(
      metrics,
    );
    expect(Number(deadLettered?.[1] ?? 0)).toBe(0);
    // Stopped, to hand its data directory to the api role.
    const done = projector;
    projector = undefined;
    done.child.kill('SIGTERM');
    expect(await done.exited).toBe('SIGTERM');

    const spawned = await spawnApp(
      'dist/apps/api/src/main.js',
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'log',
        KAFKA_TOPIC_PARTITIONS: '3',
        YEARLY_SALT: 'test-salt-of-sufficient-length',
      },
      /api listening on port (\d+)/,
    );
    api = { ...spawned, url: `http://127.0.0.1:${spawned.port}` };

    // Each run counted once: per repo, and over every repo (less the runs of other suites' repos).
    const summaries = await get<RepoSummary[]>('/api/repos');
    const ours = new Set(repos.map((repo) => repo.url));
    for (const repo of repos) {
      expect(summaries.find((s) => s.repo === repo.url)).toMatchObject({
        runs: RUNS_PER_REPO,
        issues_found: repo.runs.reduce((n, run) => n + run.issues_found, 0),
      });
    }
    const others = summaries.filter((s) => !ours.has(s.repo));
    const stats = await get<Stats>('/api/stats');
    expect(stats.repo_list).toEqual(expect.arrayContaining([...ours]));
    expect(stats.total_runs - others.reduce((n, s) => n + s.runs, 0)).toBe(RUNS);
    expect(stats.total_issues - others.reduce((n, s) => n + s.issues_found, 0)).toBe(expectedIssuesTotal);

    for (const [r, repo] of repos.entries()) {
      const page = await get<IssuesPage>(`/api/issues?repo=${repo.slug}&per_page=200`);
      expect(page.total).toBe(expected[r].size);
      expect(page.pages).toBe(1);
      const items = page.items;
      expect(items.every((i) => i.target_repo === repo.url)).toBe(true);
      // Each finding once, with exactly the expected status and history.
      expect(items.map((i) => i.fingerprint).sort()).toEqual([...expected[r].keys()].sort());
      for (const item of items) expect(item).toMatchObject(expected[r].get(item.fingerprint)!);
      // The reference's order: recurring, new, fixed.
      const ranks = items.map((i) => STATUS_RANK[i.status]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      // The repo named by its URL answers the same.
      expect(await get<IssuesPage>(`/api/issues?repo=${repo.url}&per_page=200`)).toEqual(page);

      const answer = await graphql(
        api.url,
        `
          query ($repo: String!) {
            scanIssues(repo: $repo, limit: 200) {
              totalCount
              items {
                fingerprint
                status
                appearances
                runNumbers
              }
            }
          }
        `,
        { repo: repo.slug },
      );
      expect(answer.errors).toBeUndefined();
      const scanIssues = answer.data.scanIssues as {
        totalCount: number;
        items: { fingerprint: string; status: Status; appearances: number; runNumbers: number[] }[];
      };
      expect(scanIssues.totalCount).toBe(expected[r].size);
      expect(scanIssues.items).toEqual(
        items.map((i) => ({
          fingerprint: i.fingerprint,
          status: i.status,
          appearances: i.appearances,
          runNumbers: i.run_numbers,
        })),
      );
    }

    // Nothing of this suite's runs was dead-lettered, by the dead projector or the new one.
    expect(await deadLettersOf(marker)).toEqual([]);
  }, 120_000);
});
