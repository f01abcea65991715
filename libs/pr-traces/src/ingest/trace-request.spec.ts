import { AnonHasher } from '@th/platform';
import { parseTraceBatch } from './trace-request';

const limits = { TRACE_MAX_EVENTS: 3, TRACE_MAX_PAYLOAD_BYTES: 1024, TRACE_MAX_STRING_LENGTH: 300 };
const hasher = new AnonHasher('a-salt-of-sufficient-length');
const now = Date.UTC(2026, 2, 2);
const parse = (body: unknown) => parseTraceBatch(body, limits, hasher, now);

const flat = {
  pr_id: 'acme/payments#42',
  repo_name: 'acme/payments',
  branch: 'main',
  events: [{ seq: 1, ts: '2026-03-02T09:01:10Z', type: 'annotation', payload: { note: 'hi', extra: [1] } }],
};

describe('parseTraceBatch', () => {
  it('reads the flat shape: no status is "not said" (a later batch keeps the stored one)', () => {
    const batch = parse(flat);
    expect(batch.header).toMatchObject({
      prId: 'acme/payments#42',
      status: null,
      title: null,
      developerHash: null,
    });
    expect(batch.events).toEqual([
      {
        index: 0,
        event: expect.objectContaining({
          clientSeq: 1,
          ts: '2026-03-02T09:01:10.000Z',
          type: 'annotation',
          // Unknown payload fields are kept.
          payload: '{"note":"hi","extra":[1]}',
          redactions: 0,
        }),
      },
    ]);
  });

  it('reads the nested shape: the developer only as a keyed hash, seq optional', () => {
    const batch = parse({
      trace_id: '5B0F7E8A-2C1D-4D3E-9F10-6A7B8C9D0E1F',
      repo: { name: 'acme/payments', branch: 'main', language: ['python'] },
      pr: {
        pr_id: 'acme/payments#42',
        title: 't',
        status: 'merged',
        created_at: '2026-03-02T09:00:00Z',
        merged_at: null,
      },
      developer: { user_id: 'dev-7', ide_version: '0.9.2', os: 'macOS' },
      events: [
        {
          ts: '2026-03-02T09:01:10Z',
          type: 'commit',
          payload: { sha: 'abc', message: 'm', files_changed: 2 },
        },
      ],
    });
    expect(batch.traceId).toBe('5b0f7e8a-2c1d-4d3e-9f10-6a7b8c9d0e1f');
    expect(batch.header).toMatchObject({ status: 'merged', languages: ['python'], prMergedAt: null });
    expect(batch.header.developerHash).toBe(hasher.hash('dev-7', now));
    expect(JSON.stringify(batch)).not.toContain('dev-7');
    expect(batch.events[0].event.clientSeq).toBeNull();
  });

  it('names every bad header field at once', () => {
    expect(() => parse({ pr_id: 'nope', branch: 'b', status: 'draft', events: [] })).toThrow(
      expect.objectContaining({
        errors: expect.arrayContaining([
          { field: 'pr_id', message: 'must look like "owner/repo#123"' },
          { field: 'repo_name', message: 'is required' },
          { field: 'status', message: 'must be one of open, merged, closed' },
        ]),
      }),
    );
    expect(() => parse({ ...flat, events: Array(4).fill(flat.events[0]) })).toThrow(
      'must hold at most 3 events',
    );
    expect(() => parse('[]')).toThrow('must be a JSON object');
  });

  it('rejects an event on its own: per-type payloads, bounds, and the flat shape needs seq', () => {
    const batch = parse({
      ...flat,
      events: [
        { ts: '2026-03-02T09:01:10Z', type: 'annotation', payload: { note: 'x' } },
        { seq: 2, ts: '2026-03-02T09:01:10Z', type: 'test', payload: { passed: '42', failed: 0 } },
        { seq: 3, ts: '2026-03-02T09:01:10Z', type: 'annotation', payload: { note: 'x'.repeat(301) } },
      ],
    });
    expect(batch.events).toEqual([]);
    expect(batch.rejected).toEqual([
      { index: 0, errors: [{ field: 'seq', message: 'is required' }] },
      { index: 1, errors: [expect.objectContaining({ field: 'payload.passed' })] },
      {
        index: 2,
        errors: [{ field: 'payload', message: 'strings must be at most 300 characters (one has 301)' }],
      },
    ]);
  });

  it('redacts payload secrets but identifies the event by what was sent', () => {
    const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const [withSecret] = parse({
      ...flat,
      events: [{ ...flat.events[0], payload: { note: `token ${secret}` } }],
    }).events;
    const [other] = parse({
      ...flat,
      events: [{ ...flat.events[0], payload: { note: 'token [REDACTED:github-token]' } }],
    }).events;
    expect(withSecret.event.payload).not.toContain(secret);
    expect(withSecret.event.redactions).toBe(1);
    expect(withSecret.event.eventId).not.toBe(other.event.eventId);
  });
});
