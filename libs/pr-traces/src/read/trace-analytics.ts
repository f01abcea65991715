/**
 * Per-PR analytics over one pull-request trace: what happened (edits, commands, tests, commits) and
 * whether the stored events look consistent (client seq gaps/repeats, timestamps outside the PR's
 * lifetime or going backwards). Pure: no I/O, never throws on malformed payloads, O(n log n).
 */

export type TraceEventType = 'edit' | 'command' | 'test' | 'commit' | 'annotation';

/** One stored event of a trace, in server order. */
export interface TraceEventView {
  /** Server sequence: dense from 1 in arrival order. The input array is sorted by it. */
  serverSeq: number;
  /** The seq the client sent, or null when it sent none. */
  clientSeq: number | null;
  /** ISO-8601 UTC with milliseconds, e.g. '2026-03-02T09:01:10.000Z'. */
  ts: string;
  type: TraceEventType;
  /** The payload as stored (JSON object). Payload shapes per type: edit {file: string, change_summary: "+N/-M", diff_snippet?}, command {command: string, exit_code: number, stdout_sample?}, test {command?, passed: number, failed: number, duration_ms?}, commit {sha, message, files_changed: number}, annotation {note}. Unknown fields may be present; treat payloads defensively (a missing or wrongly typed field counts as 0 / is skipped, never throws). */
  payload: Record<string, unknown>;
}

/** The PR's lifetime as its header says, when known (ISO-8601 UTC strings). */
export interface PrLifetime {
  createdAt: string | null;
  mergedAt: string | null;
}

export interface TraceAnalytics {
  eventCount: number;
  firstEventAt: string | null;
  lastEventAt: string | null;
  /** lastEventAt - firstEventAt in ms (by timestamps, min and max, not by order); 0 for one event; null for none. */
  durationMs: number | null;
  edits: number;
  filesEdited: number /* distinct payload.file */;
  linesAdded: number;
  linesRemoved: number; // from change_summary "+N/-M"
  commands: number;
  commandsFailed: number /* exit_code !== 0 */;
  testRuns: number;
  testRunsFailed: number /* failed > 0 */;
  testsPassed: number;
  testsFailed: number /* sums */;
  /** From the first edit (by ts) to the first test run with failed === 0 and passed > 0 at or after it; null if none. */
  msFirstEditToFirstPassingTest: number | null;
  commits: number;
  filesChangedInCommits: number;
  annotations: number;
  consistency: ConsistencyReport;
}

export interface ConsistencyReport {
  /** True when none of the lists below has an entry. */
  consistent: boolean;
  /** Client seq numbers missing between the smallest and largest client seq sent (ascending, capped at 1000 entries; `gapsTruncated` true when capped). Events without client seq are ignored here. */
  clientSeqGaps: number[];
  gapsTruncated: boolean;
  /** Client seq numbers sent by more than one event (ascending, distinct). */
  clientSeqRepeats: number[];
  /** Server seqs of events whose ts is before the PR's createdAt or after its mergedAt (when known). */
  outsideLifetime: number[];
  /** Server seqs of events whose ts is earlier than the ts of the event just before them in server order. */
  timestampsBackwards: number[];
}

/** More gaps than this are not listed: a client restarting its counter must not produce a huge report. */
export const MAX_LISTED_GAPS = 1000;

/** An event with its timestamp parsed once (null when unparseable: such an event is left out of time maths). */
interface TimedEvent {
  event: TraceEventView;
  ms: number | null;
}

/**
 * Computes the per-PR analytics and the consistency report of one trace.
 * Events whose ts does not parse still count (eventCount, per-type totals) but are left out of
 * everything that needs a time: span, first-edit-to-passing-test, lifetime and ordering checks.
 */
export function traceAnalytics(events: readonly TraceEventView[], lifetime: PrLifetime): TraceAnalytics {
  const timed = events.map((event) => ({ event, ms: parseTs(event.ts) }));
  const tests = testStats(events);
  const commits = ofType(events, 'commit');
  return {
    eventCount: events.length,
    ...timeSpan(timed),
    ...editStats(ofType(events, 'edit')),
    ...commandStats(ofType(events, 'command')),
    ...tests,
    msFirstEditToFirstPassingTest: msFirstEditToFirstPassingTest(timed),
    commits: commits.length,
    filesChangedInCommits: sum(commits.map((e) => count(field(e, 'files_changed')))),
    annotations: ofType(events, 'annotation').length,
    consistency: consistencyReport(timed, lifetime),
  };
}

// ---- defensive payload access ----------------------------------------------------------------------

/** Null for anything Date.parse rejects, so a bad timestamp never turns into NaN arithmetic. */
function parseTs(ts: unknown): number | null {
  if (typeof ts !== 'string') return null;
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}

/** Payload is typed as an object, but stored data may not honour it; reading a field must never throw. */
function field(event: TraceEventView, name: string): unknown {
  const payload: unknown = event.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  return (payload as Record<string, unknown>)[name];
}

/** A count from a payload: anything but a finite non-negative number counts as 0 (a negative would subtract). */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Like `count`, but keeps any finite number: an exit code of -1 is a real failure, not "missing". */
function exitCode(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

const CHANGE_SUMMARY = /^\s*\+(\d+)\s*\/\s*-(\d+)\s*$/;

/** "+N/-M" -> lines added and removed; anything else contributes nothing. */
function parseChangeSummary(value: unknown): { added: number; removed: number } {
  const match = typeof value === 'string' ? CHANGE_SUMMARY.exec(value) : null;
  return match ? { added: Number(match[1]), removed: Number(match[2]) } : { added: 0, removed: 0 };
}

function ofType(events: readonly TraceEventView[], type: TraceEventType): TraceEventView[] {
  return events.filter((e) => e.type === type);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

// ---- activity ----------------------------------------------------------------------------------------

/** Span by min and max timestamp, not by order: late-arriving events must not shorten or stretch it. */
function timeSpan(
  timed: readonly TimedEvent[],
): Pick<TraceAnalytics, 'firstEventAt' | 'lastEventAt' | 'durationMs'> {
  let first: { ts: string; ms: number } | null = null;
  let last: { ts: string; ms: number } | null = null;
  for (const { event, ms } of timed) {
    if (ms === null) continue;
    if (first === null || ms < first.ms) first = { ts: event.ts, ms };
    if (last === null || ms > last.ms) last = { ts: event.ts, ms };
  }
  if (first === null || last === null) return { firstEventAt: null, lastEventAt: null, durationMs: null };
  return { firstEventAt: first.ts, lastEventAt: last.ts, durationMs: last.ms - first.ms };
}

function editStats(
  edits: readonly TraceEventView[],
): Pick<TraceAnalytics, 'edits' | 'filesEdited' | 'linesAdded' | 'linesRemoved'> {
  const files = new Set<string>();
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const edit of edits) {
    const file = field(edit, 'file');
    if (typeof file === 'string' && file !== '') files.add(file);
    const { added, removed } = parseChangeSummary(field(edit, 'change_summary'));
    linesAdded += added;
    linesRemoved += removed;
  }
  return { edits: edits.length, filesEdited: files.size, linesAdded, linesRemoved };
}

/** A command without a usable exit_code counts as exit 0: only a reported failure is a failure. */
function commandStats(
  commands: readonly TraceEventView[],
): Pick<TraceAnalytics, 'commands' | 'commandsFailed'> {
  const failed = commands.filter((c) => exitCode(field(c, 'exit_code')) !== 0).length;
  return { commands: commands.length, commandsFailed: failed };
}

function testStats(
  events: readonly TraceEventView[],
): Pick<TraceAnalytics, 'testRuns' | 'testRunsFailed' | 'testsPassed' | 'testsFailed'> {
  const runs = ofType(events, 'test');
  const failed = runs.map((r) => count(field(r, 'failed')));
  return {
    testRuns: runs.length,
    testRunsFailed: failed.filter((f) => f > 0).length,
    testsPassed: sum(runs.map((r) => count(field(r, 'passed')))),
    testsFailed: sum(failed),
  };
}

/** Green means something ran and nothing failed: a run of 0 passed / 0 failed proves nothing. */
function isPassingTest(event: TraceEventView): boolean {
  return event.type === 'test' && count(field(event, 'failed')) === 0 && count(field(event, 'passed')) > 0;
}

/** "How long from starting to change code until the tests went green" — both ends by timestamp. */
function msFirstEditToFirstPassingTest(timed: readonly TimedEvent[]): number | null {
  const firstEdit = minMs(timed.filter((t) => t.event.type === 'edit'));
  if (firstEdit === null) return null;
  const firstPass = minMs(timed.filter((t) => t.ms !== null && t.ms >= firstEdit && isPassingTest(t.event)));
  return firstPass === null ? null : firstPass - firstEdit;
}

function minMs(timed: readonly TimedEvent[]): number | null {
  let min: number | null = null;
  for (const t of timed) if (t.ms !== null && (min === null || t.ms < min)) min = t.ms;
  return min;
}

// ---- consistency -------------------------------------------------------------------------------------

function consistencyReport(timed: readonly TimedEvent[], lifetime: PrLifetime): ConsistencyReport {
  const { gaps, truncated, repeats } = clientSeqFindings(timed.map((t) => t.event.clientSeq));
  const outside = outsideLifetime(timed, lifetime);
  const backwards = timestampsBackwards(timed);
  return {
    consistent: gaps.length + repeats.length + outside.length + backwards.length === 0,
    clientSeqGaps: gaps,
    gapsTruncated: truncated,
    clientSeqRepeats: repeats,
    outsideLifetime: outside,
    timestampsBackwards: backwards,
  };
}

/**
 * Gaps and repeats from the sorted client seqs: sorting is n log n, and gaps are listed by walking the
 * holes between neighbours, so a range like 1..2_000_000_000 costs at most MAX_LISTED_GAPS steps.
 * Non-integer seqs cannot be placed in a sequence and are ignored like missing ones.
 */
function clientSeqFindings(seqs: readonly (number | null)[]): {
  gaps: number[];
  truncated: boolean;
  repeats: number[];
} {
  const sorted = seqs.filter((s): s is number => Number.isSafeInteger(s)).sort((a, b) => a - b);
  const gaps: number[] = [];
  const repeats: number[] = [];
  let truncated = false;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur === prev) {
      if (repeats[repeats.length - 1] !== cur) repeats.push(cur);
      continue;
    }
    for (let missing = prev + 1; missing < cur; missing++) {
      if (gaps.length === MAX_LISTED_GAPS) {
        truncated = true;
        break;
      }
      gaps.push(missing);
    }
  }
  return { gaps, truncated, repeats };
}

/** An unknown or unparseable bound checks nothing; an event without a usable ts cannot be judged. */
function outsideLifetime(timed: readonly TimedEvent[], lifetime: PrLifetime): number[] {
  const createdAt = parseTs(lifetime.createdAt);
  const mergedAt = parseTs(lifetime.mergedAt);
  return timed
    .filter(
      ({ ms }) =>
        ms !== null && ((createdAt !== null && ms < createdAt) || (mergedAt !== null && ms > mergedAt)),
    )
    .map((t) => t.event.serverSeq);
}

/** Only the direct predecessor counts, so one bad clock reading flags one event, not all after it. */
function timestampsBackwards(timed: readonly TimedEvent[]): number[] {
  const backwards: number[] = [];
  for (let i = 1; i < timed.length; i++) {
    const prev = timed[i - 1].ms;
    const cur = timed[i].ms;
    if (prev !== null && cur !== null && cur < prev) backwards.push(timed[i].event.serverSeq);
  }
  return backwards;
}
