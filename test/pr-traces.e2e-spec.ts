import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE } from '@th/store';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

/**
 * The old service's event id, written independently of the hub's code for the fixtures' flat,
 * ASCII payloads: SHA-256 of trace id + seq + type + Python's json.dumps(payload, sort_keys=True).
 */
function oldServiceId(
  traceId: string,
  seqOrTs: number | string,
  type: string,
  payload: Record<string, unknown>,
) {
  const json = `{${Object.keys(payload)
    .sort()
    .map((key) => `${JSON.stringify(key)}: ${JSON.stringify(payload[key])}`)
    .join(', ')}}`;
  return createHash('sha256').update(`${traceId}${seqOrTs}${type}${json}`).digest('hex');
}

/**
 * Issue 11: the seed's guide against the embedded app, with both sample shapes: post, resend (0
 * accepted), change one field (1 accepted), fetch the trace in order; and every bad input. Each
 * test uses its own PR, so each passes alone and in any order.
 */
describe('PR activity traces (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let prs = 0;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const ingest = (body: unknown, headers: Record<string, string> = {}) =>
    request(`${app.url}/ingest`, { body, headers });
  /** The flat sample under a PR of the test's own. */
  const flatBatch = () => ({
    ...fixture('pr-trace-batch-flat.json'),
    pr_id: `acme/payments#${1000 + ++prs}`,
  });
  /** The nested sample under a trace and PR of the test's own. */
  const nestedBatch = () => {
    const batch = fixture('pr-trace-batch.json');
    const n = 1000 + ++prs;
    return {
      ...batch,
      trace_id: `5b0f7e8a-2c1d-4d3e-9f10-${String(n).padStart(12, '0')}`,
      pr: { ...batch.pr, pr_id: `acme/payments#${n}` },
    };
  };

  it("walks the seed's guide with the flat sample: post, resend, change one field, replay in order", async () => {
    const batch = flatBatch();
    const first = await ingest(batch);
    expect(first.status).toBe(200);
    const traceId: string = first.body.trace_id;
    expect(traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.body.accepted_event_ids).toEqual(
      batch.events.map((e: any) => oldServiceId(traceId, e.seq, e.type, e.payload)),
    );
    expect(first.body).toMatchObject({ duplicate_event_ids: [], rejected: [] });

    const resend = await ingest(batch);
    expect(resend.status).toBe(200);
    expect(resend.body.trace_id).toBe(traceId);
    expect(resend.body.accepted_event_ids).toEqual([]);
    expect(resend.body.duplicate_event_ids).toEqual(first.body.accepted_event_ids);

    const changed = structuredClone(batch);
    changed.events[3].payload.files_changed = 3;
    const third = await ingest(changed);
    expect(third.body.accepted_event_ids).toEqual([
      oldServiceId(traceId, 4, 'commit', changed.events[3].payload),
    ]);
    expect(third.body.duplicate_event_ids).toHaveLength(4);

    const trace = await request(`${app.url}/traces/${traceId}`);
    expect(trace.status).toBe(200);
    expect(trace.body).toMatchObject({
      trace_id: traceId,
      repo: { name: 'acme/payments', branch: 'fix/empty-input' },
      pr: { pr_id: batch.pr_id, status: 'open' },
    });
    expect(trace.body.events.map((e: any) => [e.seq, e.client_seq, e.type])).toEqual([
      [1, 1, 'edit'],
      [2, 2, 'command'],
      [3, 3, 'test'],
      [4, 4, 'commit'],
      [5, 5, 'annotation'],
      [6, 4, 'commit'],
    ]);
    expect(trace.body.events[5].payload.files_changed).toBe(3);
  });

  it('takes the nested sample: ids over ts when there is no seq, the developer hashed, the NDJSON archive', async () => {
    const batch = nestedBatch();
    const first = await ingest(batch);
    expect(first.status).toBe(200);
    expect(first.body.trace_id).toBe(batch.trace_id);
    expect(first.body.accepted_event_ids).toEqual(
      batch.events.map((e: any) => oldServiceId(batch.trace_id, e.ts, e.type, e.payload)),
    );
    expect((await ingest(batch)).body.accepted_event_ids).toEqual([]);

    const trace = await request(`${app.url}/traces/${batch.trace_id}`);
    expect(trace.body.pr).toMatchObject({ title: batch.pr.title, created_at: '2026-03-02T09:00:00.000Z' });
    expect(trace.body.repo.language).toEqual(['python', 'typescript']);
    expect(trace.body.developer.user_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(trace.body)).not.toContain(batch.developer.user_id);
    expect(trace.body.events.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(trace.body.timeline).toMatchObject({ event_count: 6, duration_ms: 9 * 60_000 + 50_000 });

    // A later flat batch for the same trace keeps what only the nested one said (title, developer).
    const merged = await ingest({
      trace_id: batch.trace_id,
      pr_id: batch.pr.pr_id,
      repo_name: 'acme/payments',
      branch: 'fix/empty-input',
      status: 'merged',
      events: [],
    });
    expect(merged.status).toBe(200);
    const after = await request(`${app.url}/traces/${batch.trace_id}`);
    expect(after.body.pr).toMatchObject({ status: 'merged', title: batch.pr.title });
    expect(after.body.developer.user_hash).toBe(trace.body.developer.user_hash);

    const archive = await fetch(`${app.url}/traces/${batch.trace_id}/events.ndjson`);
    expect(archive.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await archive.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.server_seq, l.seq, l.type])).toEqual(
      batch.events.map((e: any, i: number) => [i + 1, null, e.type]),
    );
    expect(lines[0]).toEqual({
      trace_id: batch.trace_id,
      seq: null,
      ts: '2026-03-02T09:01:10.000Z',
      type: 'edit',
      payload: batch.events[0].payload,
      event_id: first.body.accepted_event_ids[0],
      server_seq: 1,
    });
  });

  it('counts identical events in one batch once, and stores concurrent copies of a batch once', async () => {
    const batch = flatBatch();
    batch.events.push(batch.events[0]);
    const once = await ingest(batch);
    expect(once.body.accepted_event_ids).toHaveLength(5);
    expect(once.body.duplicate_event_ids).toEqual([once.body.accepted_event_ids[0]]);

    const copies = flatBatch();
    const answers = await Promise.all(Array.from({ length: 6 }, () => ingest(copies)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.flatMap((a) => a.body.accepted_event_ids)).toHaveLength(5);
    const trace = await request(`${app.url}/traces/${answers[0].body.trace_id}`);
    expect(trace.body.events.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the good events of a batch with bad ones, naming each bad field; 400 when none is good', async () => {
    const batch = flatBatch();
    batch.events[1] = { ...batch.events[1], type: 'deploy' };
    batch.events[2] = { ...batch.events[2], payload: { passed: -1, failed: 0 } };
    batch.events[0] = { ...batch.events[0], payload: { file: 'a.py', change_summary: 'lots' } };
    const answer = await ingest(batch);
    expect(answer.status).toBe(200);
    expect(answer.body.accepted_event_ids).toHaveLength(2);
    expect(answer.body.rejected).toEqual([
      { index: 0, errors: [{ field: 'payload.change_summary', message: 'must look like "+N/-M"' }] },
      { index: 1, errors: [expect.objectContaining({ field: 'type' })] },
      { index: 2, errors: [expect.objectContaining({ field: 'payload.passed' })] },
    ]);

    const none = await ingest({
      ...flatBatch(),
      events: [{ seq: 1, ts: 'yesterday', type: 'edit', payload: {} }],
    });
    expect(none.status).toBe(400);
    expect(none.body.rejected[0].errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['ts']));

    const noSeq = await ingest({
      ...flatBatch(),
      events: [{ ts: '2026-03-02T09:01:10Z', type: 'annotation', payload: { note: 'x' } }],
    });
    expect(noSeq.status).toBe(400);
    expect(noSeq.body.rejected[0].errors).toEqual([{ field: 'seq', message: 'is required' }]);
  });

  it('refuses a bad header with 400 naming each field, and other bad requests with clear errors', async () => {
    const header = await ingest({ pr_id: 'payments-42', branch: '', status: 'draft', events: [] });
    expect(header.status).toBe(400);
    expect(header.body.errors.map((e: any) => e.field).sort()).toEqual([
      'branch',
      'pr_id',
      'repo_name',
      'status',
    ]);

    const nested = await ingest({ ...nestedBatch(), trace_id: 'not-a-uuid', developer: {} });
    expect(nested.status).toBe(400);
    expect(nested.body.errors.map((e: any) => e.field).sort()).toEqual(['developer.user_id', 'trace_id']);

    expect((await ingest({ ...flatBatch(), events: 'none' })).body.errors).toEqual([
      { field: 'events', message: 'must be an array' },
    ]);
    const many = {
      ...flatBatch(),
      events: Array.from({ length: 1001 }, (_, i) => ({ ...flatBatch().events[4], seq: i })),
    };
    expect((await ingest(many)).body.errors).toEqual([
      { field: 'events', message: 'must hold at most 1000 events' },
    ]);
    expect((await ingest([1, 2])).status).toBe(400);
    expect(
      (await request(`${app.url}/ingest`, { raw: 'pr_id=x', headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(415);
    expect(
      (
        await request(`${app.url}/ingest`, {
          raw: '{"pr_id":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);

    const unknown = await request(`${app.url}/traces/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('not found');
    expect((await request(`${app.url}/traces/42`)).status).toBe(400);
  });

  it('accepts gzip bodies', async () => {
    const batch = flatBatch();
    const answer = await request(`${app.url}/ingest`, {
      raw: gzipSync(JSON.stringify(batch)),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted_event_ids).toHaveLength(5);
  });

  it('redacts planted secrets before anything is stored: not in answers, replay, archive, GraphQL or ClickHouse', async () => {
    const aws = 'AKIA' + 'IOSFODNN7EXAMPLE';
    const github = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const password = 'hunter2-' + 'Sup3rSecret';
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow' + 'IBAAKCAQEAx\n-----END RSA PRIVATE KEY-----';
    const batch = flatBatch();
    batch.events[1].payload.command = `curl -H "Authorization: Bearer ${github}" https://api.github.com`;
    batch.events[1].payload.stdout_sample = `AWS_ACCESS_KEY_ID=${aws}\n${key}`;
    batch.events[3].payload.message = `fix: rotate creds (password=${password})`;
    batch.events[4].payload.extra = { nested: [`token=${github}`] };
    const answer = await ingest(batch);
    expect(answer.status).toBe(200);
    const traceId = answer.body.trace_id;
    const replay = await request(`${app.url}/traces/${traceId}`);
    const archive = await (await fetch(`${app.url}/traces/${traceId}/events.ndjson`)).text();
    const gql = await graphql(
      app.url,
      `
        query ($id: String!) {
          prTrace(traceId: $id) {
            title
            events {
              payload
              redactions
            }
          }
        }
      `,
      { id: traceId },
    );
    const client = app.app.get<ClickHouseClient>(CLICKHOUSE);
    const stored = await (
      await client.query({
        query: 'SELECT * FROM trace_events FINAL WHERE trace_id = {t:String}',
        query_params: { t: traceId },
        format: 'JSONEachRow',
      })
    ).text();
    for (const secret of [aws, github, password, 'MIIEowIBAAKCAQEAx']) {
      for (const place of [
        JSON.stringify(answer.body),
        JSON.stringify(replay.body),
        archive,
        JSON.stringify(gql),
        stored,
      ])
        expect(place).not.toContain(secret);
    }
    expect(replay.body.events[1].redactions).toBeGreaterThanOrEqual(3);
    expect(replay.body.events[1].payload.command).toContain('[REDACTED:');
    expect(replay.body.events[3].payload.message).toBe(
      'fix: rotate creds (password=[REDACTED:password-assignment])',
    );
  });

  it('serves per-PR analytics, the consistency report and filtered lists over GraphQL', async () => {
    const batch = flatBatch();
    batch.events[4] = { ...batch.events[4], seq: 7 };
    batch.events.push({ seq: 7, ts: '2026-03-02T09:05:00Z', type: 'annotation', payload: { note: 'again' } });
    const { body } = await ingest(batch);
    const result = await graphql(
      app.url,
      `
        query ($id: String!, $pr: String!) {
          prTrace(traceId: $id) {
            prId
            status
            eventCount
            analytics {
              edits
              linesAdded
              linesRemoved
              commands
              commandsFailed
              testRuns
              testsPassed
              commits
              filesChangedInCommits
              annotations
              msFirstEditToFirstPassingTest
              durationMs
              consistency {
                consistent
                clientSeqGaps
                clientSeqRepeats
                timestampsBackwards
              }
            }
          }
          prTraces(prId: $pr) {
            totalCount
            items {
              traceId
            }
          }
        }
      `,
      { id: body.trace_id, pr: batch.pr_id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.prTrace).toEqual({
      prId: batch.pr_id,
      status: 'open',
      eventCount: 6,
      analytics: {
        edits: 1,
        linesAdded: 25,
        linesRemoved: 10,
        commands: 1,
        commandsFailed: 1,
        testRuns: 1,
        testsPassed: 42,
        commits: 1,
        filesChangedInCommits: 2,
        annotations: 2,
        msFirstEditToFirstPassingTest: 6 * 60_000 + 55_000,
        durationMs: 9 * 60_000 + 50_000,
        consistency: {
          consistent: false,
          clientSeqGaps: [5, 6],
          clientSeqRepeats: [7],
          timestampsBackwards: [5],
        },
      },
    });
    expect(result.data.prTraces).toEqual({ totalCount: 1, items: [{ traceId: body.trace_id }] });
    const bad = await graphql(app.url, '{ prTraces(status: "draft") { totalCount } }');
    expect(bad.errors[0].message).toContain('status must be one of open, merged, closed');
  });
});
