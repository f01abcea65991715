import {
  MAX_LISTED_GAPS,
  type PrLifetime,
  type TraceEventType,
  type TraceEventView,
  traceAnalytics,
} from './trace-analytics';

const LIFETIME: PrLifetime = { createdAt: '2026-03-02T08:55:00.000Z', mergedAt: '2026-03-02T10:00:00.000Z' };
const UNKNOWN_LIFETIME: PrLifetime = { createdAt: null, mergedAt: null };

/** Builds a trace in server order: serverSeq dense from 1, clientSeq the same unless a test says otherwise. */
function trace(
  ...specs: {
    type: TraceEventType;
    ts: string;
    payload?: Record<string, unknown>;
    clientSeq?: number | null;
  }[]
): TraceEventView[] {
  return specs.map((s, i) => ({
    serverSeq: i + 1,
    clientSeq: s.clientSeq === undefined ? i + 1 : s.clientSeq,
    ts: s.ts,
    type: s.type,
    payload: s.payload ?? {},
  }));
}

const at = (hhmmss: string): string => `2026-03-02T${hhmmss}.000Z`;

/** Events whose only interesting property is their client seq. */
function withClientSeqs(...seqs: (number | null)[]): TraceEventView[] {
  return trace(...seqs.map((clientSeq) => ({ type: 'annotation' as const, ts: at('09:00:00'), clientSeq })));
}

describe('traceAnalytics', () => {
  it('summarises a realistic PR session with exact numbers and finds it consistent', () => {
    const events = trace(
      { type: 'edit', ts: at('09:00:00'), payload: { file: 'src/pay.ts', change_summary: '+25/-10' } },
      { type: 'command', ts: at('09:01:10'), payload: { command: 'npm run build', exit_code: 1 } },
      { type: 'edit', ts: at('09:03:00'), payload: { file: 'src/pay.spec.ts', change_summary: '+4/-1' } },
      {
        type: 'test',
        ts: at('09:05:00'),
        payload: { command: 'npm test', passed: 42, failed: 0, duration_ms: 5120 },
      },
      {
        type: 'commit',
        ts: at('09:06:00'),
        payload: { sha: 'abc123', message: 'fix rounding', files_changed: 3 },
      },
      { type: 'annotation', ts: at('09:07:00'), payload: { note: 'ready for review' } },
    );

    expect(traceAnalytics(events, LIFETIME)).toEqual({
      eventCount: 6,
      firstEventAt: at('09:00:00'),
      lastEventAt: at('09:07:00'),
      durationMs: 7 * 60_000,
      edits: 2,
      filesEdited: 2,
      linesAdded: 29,
      linesRemoved: 11,
      commands: 1,
      commandsFailed: 1,
      testRuns: 1,
      testRunsFailed: 0,
      testsPassed: 42,
      testsFailed: 0,
      msFirstEditToFirstPassingTest: 5 * 60_000,
      commits: 1,
      filesChangedInCommits: 3,
      annotations: 1,
      consistency: {
        consistent: true,
        clientSeqGaps: [],
        gapsTruncated: false,
        clientSeqRepeats: [],
        outsideLifetime: [],
        timestampsBackwards: [],
      },
    });
  });

  it('returns zeros and nulls for an empty trace, consistent', () => {
    const result = traceAnalytics([], LIFETIME);

    expect(result).toMatchObject({
      eventCount: 0,
      firstEventAt: null,
      lastEventAt: null,
      durationMs: null,
      edits: 0,
      filesEdited: 0,
      linesAdded: 0,
      commands: 0,
      testRuns: 0,
      msFirstEditToFirstPassingTest: null,
      commits: 0,
      annotations: 0,
    });
    expect(result.consistency.consistent).toBe(true);
  });

  it('reports a duration of 0 for a single event', () => {
    const result = traceAnalytics(trace({ type: 'annotation', ts: at('09:00:00') }), LIFETIME);

    expect(result).toMatchObject({
      firstEventAt: at('09:00:00'),
      lastEventAt: at('09:00:00'),
      durationMs: 0,
    });
  });

  it('takes the span from the earliest and latest timestamps, not from arrival order', () => {
    const events = trace(
      { type: 'annotation', ts: at('09:05:00') },
      { type: 'annotation', ts: at('09:00:00') },
      { type: 'annotation', ts: at('09:10:00') },
      { type: 'annotation', ts: at('09:02:00') },
    );

    expect(traceAnalytics(events, LIFETIME)).toMatchObject({
      firstEventAt: at('09:00:00'),
      lastEventAt: at('09:10:00'),
      durationMs: 10 * 60_000,
    });
  });

  it('counts a file edited several times once, and sums lines and test counts across runs', () => {
    const events = trace(
      { type: 'edit', ts: at('09:00:00'), payload: { file: 'a.ts', change_summary: '+1/-2' } },
      { type: 'edit', ts: at('09:01:00'), payload: { file: 'a.ts', change_summary: '+3/-4' } },
      { type: 'test', ts: at('09:02:00'), payload: { passed: 10, failed: 2 } },
      { type: 'test', ts: at('09:03:00'), payload: { passed: 12, failed: 0 } },
      { type: 'commit', ts: at('09:04:00'), payload: { files_changed: 1 } },
      { type: 'commit', ts: at('09:05:00'), payload: { files_changed: 2 } },
    );

    expect(traceAnalytics(events, LIFETIME)).toMatchObject({
      edits: 2,
      filesEdited: 1,
      linesAdded: 4,
      linesRemoved: 6,
      testRuns: 2,
      testRunsFailed: 1,
      testsPassed: 22,
      testsFailed: 2,
      commits: 2,
      filesChangedInCommits: 3,
    });
  });

  it('times edit-to-green from the earliest edit to the first passing run at or after it', () => {
    const events = trace(
      // Green before any edit: says nothing about the change.
      { type: 'test', ts: at('08:58:00'), payload: { passed: 5, failed: 0 } },
      { type: 'edit', ts: at('09:10:00'), payload: { file: 'b.ts' } },
      // Arrived later but happened first: it is the first edit.
      { type: 'edit', ts: at('09:00:00'), payload: { file: 'a.ts' } },
      { type: 'test', ts: at('09:02:00'), payload: { passed: 5, failed: 1 } },
      { type: 'test', ts: at('09:03:00'), payload: { passed: 0, failed: 0 } },
      { type: 'test', ts: at('09:06:00'), payload: { passed: 6, failed: 0 } },
      { type: 'test', ts: at('09:04:00'), payload: { passed: 6, failed: 0 } },
    );

    expect(traceAnalytics(events, UNKNOWN_LIFETIME).msFirstEditToFirstPassingTest).toBe(4 * 60_000);
  });

  it('counts a passing test at the very instant of the first edit', () => {
    const events = trace(
      { type: 'edit', ts: at('09:00:00'), payload: { file: 'a.ts' } },
      { type: 'test', ts: at('09:00:00'), payload: { passed: 1, failed: 0 } },
    );

    expect(traceAnalytics(events, LIFETIME).msFirstEditToFirstPassingTest).toBe(0);
  });

  it('leaves edit-to-green null when the tests never pass after an edit', () => {
    const events = trace(
      { type: 'test', ts: at('09:00:00'), payload: { passed: 3, failed: 0 } },
      { type: 'edit', ts: at('09:01:00'), payload: { file: 'a.ts' } },
      { type: 'test', ts: at('09:02:00'), payload: { passed: 3, failed: 1 } },
    );

    expect(traceAnalytics(events, LIFETIME).msFirstEditToFirstPassingTest).toBeNull();
  });

  it('lists missing and repeated client seqs in ascending order, ignoring events without one', () => {
    const { consistency } = traceAnalytics(withClientSeqs(7, 3, null, 4, 4, 9, 3, 4, 12), LIFETIME);

    expect(consistency).toMatchObject({
      consistent: false,
      clientSeqGaps: [5, 6, 8, 10, 11],
      gapsTruncated: false,
      clientSeqRepeats: [3, 4],
    });
  });

  it('does not truncate exactly MAX_LISTED_GAPS gaps', () => {
    const { consistency } = traceAnalytics(withClientSeqs(1, MAX_LISTED_GAPS + 2), LIFETIME);

    expect(consistency.clientSeqGaps).toHaveLength(MAX_LISTED_GAPS);
    expect(consistency.gapsTruncated).toBe(false);
  });

  it('caps the gap list on a huge client seq range, quickly and without walking the range', () => {
    const started = Date.now();
    const { consistency } = traceAnalytics(withClientSeqs(2_000_000_000, 1, 1_000_000_000, 5), LIFETIME);

    expect(consistency.clientSeqGaps).toHaveLength(MAX_LISTED_GAPS);
    expect(consistency.clientSeqGaps.slice(0, 4)).toEqual([2, 3, 4, 6]);
    expect(consistency.clientSeqGaps[MAX_LISTED_GAPS - 1]).toBe(MAX_LISTED_GAPS + 2);
    expect(consistency.gapsTruncated).toBe(true);
    expect(consistency.consistent).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('handles a 20,000-event trace with a scattered huge seq range', () => {
    const events = withClientSeqs(...Array.from({ length: 20_000 }, (_, i) => (i * 104_729) % 2_000_000_000));

    const { eventCount, consistency } = traceAnalytics(events, LIFETIME);

    expect(eventCount).toBe(20_000);
    expect(consistency.clientSeqGaps).toHaveLength(MAX_LISTED_GAPS);
    expect(consistency.gapsTruncated).toBe(true);
  });

  it('flags events before the PR was created or after it was merged, by server seq', () => {
    const events = trace(
      { type: 'edit', ts: '2026-03-02T08:54:59.999Z' },
      { type: 'edit', ts: LIFETIME.createdAt as string },
      { type: 'edit', ts: LIFETIME.mergedAt as string },
      { type: 'commit', ts: '2026-03-02T10:00:00.001Z' },
    );

    const { consistency } = traceAnalytics(events, LIFETIME);

    expect(consistency.outsideLifetime).toEqual([1, 4]);
    expect(consistency.consistent).toBe(false);
  });

  it('checks only the lifetime bounds that are known', () => {
    const events = trace(
      { type: 'edit', ts: '2020-01-01T00:00:00.000Z' },
      { type: 'edit', ts: '2030-01-01T00:00:00.000Z' },
    );

    expect(
      traceAnalytics(events, { createdAt: null, mergedAt: LIFETIME.mergedAt }).consistency.outsideLifetime,
    ).toEqual([2]);
    expect(
      traceAnalytics(events, { createdAt: LIFETIME.createdAt, mergedAt: null }).consistency.outsideLifetime,
    ).toEqual([1]);
    expect(traceAnalytics(events, UNKNOWN_LIFETIME).consistency.outsideLifetime).toEqual([]);
  });

  it('flags each event whose timestamp is earlier than its predecessor in server order', () => {
    const events = trace(
      { type: 'edit', ts: at('09:00:00') },
      { type: 'edit', ts: at('09:05:00') },
      { type: 'edit', ts: at('09:01:00') },
      { type: 'edit', ts: at('09:02:00') },
      { type: 'edit', ts: at('09:02:00') },
      { type: 'edit', ts: at('09:01:59') },
    );

    const { consistency } = traceAnalytics(events, LIFETIME);

    expect(consistency.timestampsBackwards).toEqual([3, 6]);
    expect(consistency.consistent).toBe(false);
  });

  it('does not throw on malformed payload fields and counts them as 0 or skips them', () => {
    const events = trace(
      { type: 'edit', ts: at('09:00:00'), payload: { file: 42, change_summary: 'lots' } },
      { type: 'edit', ts: at('09:00:01'), payload: { change_summary: null } },
      {
        type: 'edit',
        ts: at('09:00:02'),
        payload: { file: 'ok.ts', change_summary: '+2/-1', extra: { nested: true } },
      },
      { type: 'command', ts: at('09:00:03'), payload: { exit_code: '1' } },
      { type: 'command', ts: at('09:00:04'), payload: {} },
      { type: 'command', ts: at('09:00:05'), payload: { exit_code: -1 } },
      { type: 'test', ts: at('09:00:06'), payload: { passed: '10', failed: 'x' } },
      { type: 'test', ts: at('09:00:07'), payload: { passed: 3, failed: -2 } },
      { type: 'commit', ts: at('09:00:08'), payload: { files_changed: 'three' } },
    );
    // Stored data may break the declared type entirely.
    events.push({
      ...events[0],
      serverSeq: 10,
      clientSeq: 10,
      payload: null as unknown as Record<string, unknown>,
    });

    const result = traceAnalytics(events, LIFETIME);

    expect(result).toMatchObject({
      eventCount: 10,
      edits: 4,
      filesEdited: 1,
      linesAdded: 2,
      linesRemoved: 1,
      commands: 3,
      commandsFailed: 1,
      testRuns: 2,
      testRunsFailed: 0,
      testsPassed: 3,
      testsFailed: 0,
      msFirstEditToFirstPassingTest: 7_000,
      commits: 1,
      filesChangedInCommits: 0,
    });
  });

  it('keeps events with an unparseable timestamp in the counts but out of time checks', () => {
    const events = trace(
      { type: 'edit', ts: 'not a date', payload: { file: 'a.ts' } },
      { type: 'edit', ts: at('09:01:00'), payload: { file: 'b.ts' } },
      { type: 'test', ts: '', payload: { passed: 1, failed: 0 } },
      { type: 'test', ts: at('09:03:00'), payload: { passed: 1, failed: 0 } },
    );

    const result = traceAnalytics(events, LIFETIME);

    expect(result).toMatchObject({
      eventCount: 4,
      edits: 2,
      testRuns: 2,
      firstEventAt: at('09:01:00'),
      lastEventAt: at('09:03:00'),
      durationMs: 2 * 60_000,
      msFirstEditToFirstPassingTest: 2 * 60_000,
    });
    expect(result.consistency.timestampsBackwards).toEqual([]);
    expect(result.consistency.outsideLifetime).toEqual([]);
  });
});
