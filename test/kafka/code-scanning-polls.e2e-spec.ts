import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { CODESCAN_TOPIC } from '@th/code-scanning';
import { type SeenRequest, StandInServer, sendJson } from '@th/code-scanning/testing';
import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { request } from '../helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

const sample = () => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'codescan-run.json'), 'utf8'));

/**
 * Issue 13 on the Kafka path: what the session service and GitHub answer enters as events on the
 * log like a pushed run, never as a direct write. The api role (here served by the projector, as
 * locally) publishes them; the projector consumes them from Kafka; the reads show them only then.
 */
describe('code scanning: polled statuses and PRs travel the log (Kafka)', () => {
  const dataDir = makeDataDir();
  const repo = `polls-${Date.now().toString(36)}`;
  const sessionId = `devin-${Date.now().toString(16)}`;
  let gateway: RunningRole;
  let projector: ProjectorProcess | undefined;
  let github: StandInServer;
  let sessions: StandInServer;

  const answerGitHub = (req: SeenRequest, res: ServerResponse) => {
    if (req.url.startsWith(`/repos/acme-bot/${repo}/pulls?`)) {
      sendJson(res, 200, [
        {
          number: 4,
          title: 'Fix SQL injection',
          body: `Fixes CQLF-R15-0001, session https://app.devin.ai/sessions/${sessionId.slice('devin-'.length)}`,
          html_url: `https://github.com/acme-bot/${repo}/pull/4`,
          state: 'closed',
          merged_at: '2026-03-03T09:00:00Z',
          created_at: '2026-03-02T12:00:00Z',
          user: { login: 'devin-ai-integration[bot]' },
        },
      ]);
    } else sendJson(res, 200, []);
  };
  const answerSessions = (req: SeenRequest, res: ServerResponse) =>
    sendJson(
      res,
      200,
      req.url.endsWith(sessionId.slice('devin-'.length))
        ? { status_enum: 'finished' }
        : { status: 'running' },
    );

  beforeAll(async () => {
    github = await StandInServer.start(answerGitHub);
    sessions = await StandInServer.start(answerSessions);
    gateway = await startGateway();
    projector = await spawnProjector(dataDir, {
      KAFKA_CONSUMER_GROUP: uniqueGroup(),
      GITHUB_TOKEN: 'ghp_polls_secret_token',
      GITHUB_API_URL: github.origin,
      DEVIN_API_KEY: 'apk_polls_secret_key',
      DEVIN_API_URL: `${sessions.origin}/v1`,
      CACHE_TTL: '0',
    });
  });

  afterAll(async () => {
    projector?.child.kill('SIGTERM');
    await projector?.exited;
    await gateway?.stop();
    await github?.close();
    await sessions?.close();
    removeDataDir(dataDir);
  });

  const api = (path: string, method = 'GET') => request(`${projector!.url}${path}`, { method });

  it('publishes poll, poll-prs and backfill results as events, and the projector stores them', async () => {
    const run = {
      ...sample(),
      target_repo: `https://github.com/acme/${repo}`,
      fork_url: `https://github.com/acme-bot/${repo}`,
      sessions: [{ ...sample().sessions[0], session_id: sessionId }],
    };
    expect((await request(`${gateway.url}/api/runs`, { body: run })).status).toBe(200);
    await eventually(async () => ((await api(`/api/repo/acme/${repo}`)).status === 200 ? true : undefined));

    const mine = async () =>
      (await api('/api/sessions?per_page=200')).body.items.find((s: any) => s.session_id === sessionId);
    const polled = await api('/api/poll', 'POST');
    expect(polled.status).toBe(200);
    expect(polled.body.sessions.find((s: any) => s.session_id === sessionId).status).toBe('finished');
    await eventually(
      async () => ((await mine())?.status === 'finished' ? true : undefined),
      30_000,
      'status stored',
    );

    const prs = await api('/api/poll-prs', 'POST');
    expect(prs.status).toBe(200);
    expect(prs.body.total).toBe(1);
    const stats = await eventually(
      async () => {
        const detail = (await api(`/api/repo/acme/${repo}`)).body;
        return detail.stats.prs_total === 1 ? detail.stats : undefined;
      },
      30_000,
      'PRs stored',
    );
    expect(stats).toMatchObject({ prs_merged: 1, fix_rate: 100, sessions_finished: 1 });
    expect((await mine()).pr_url).toBe(`https://github.com/acme-bot/${repo}/pull/4`);

    expect((await api('/api/backfill', 'POST')).body.patched_files).toBeGreaterThanOrEqual(1);
    await eventually(
      async () => {
        const runs = (await api(`/api/repo/acme/${repo}`)).body.runs.items;
        return runs[0].sessions[0].pr_url === `https://github.com/acme-bot/${repo}/pull/4` ? true : undefined;
      },
      30_000,
      'backfilled run stored',
    );

    // Each of them is on the topic: the log alone can rebuild the tables.
    const kinds = await kindsOnTopic();
    expect(kinds).toEqual(
      expect.arrayContaining(['codescan-run', 'codescan-session-status', 'codescan-pull-requests']),
    );
  });
});

/** The envelope kinds on the code-scanning topic, read from its start to its end. */
async function kindsOnTopic(): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'codescan-polls-test',
    brokers: [process.env.KAFKA_BROKERS ?? ''],
    logLevel: 0,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(CODESCAN_TOPIC);
  await admin.disconnect();
  const remaining = new Map(ends.map((p) => [p.partition, Number(p.high)]));
  const kinds = new Set<string>();
  const consumer = kafka.consumer({ groupId: uniqueGroup() });
  await consumer.connect();
  await consumer.subscribe({ topic: CODESCAN_TOPIC, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const done = () => [...remaining.values()].every((high) => high <= 0);
    if (done()) resolve();
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        kinds.add((JSON.parse(message.value!.toString()) as { kind: string }).kind);
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.set(partition, 0);
        if (done()) resolve();
      },
    });
  });
  await consumer.disconnect();
  return [...kinds];
}
