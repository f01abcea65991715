import { useRoute } from 'preact-iso';
import { useQuery } from '../api/use-query';
import { useHref } from '../api/time-range';
import { Panel, Stat } from '../components/panel';
import { prLabel } from './pr-label';

const PR_TRACE = `query PrTrace($traceId: String!) {
  prTrace(traceId: $traceId) {
    traceId prId repoName title status branch os ideVersion languages eventCount
    events { seq ts type payload redactions }
    analytics {
      edits commands commandsFailed testRuns testRunsFailed testsPassed testsFailed commits annotations
      linesAdded linesRemoved filesEdited durationMs msFirstEditToFirstPassingTest
      consistency { consistent clientSeqGaps clientSeqRepeats timestampsBackwards outsideLifetime gapsTruncated }
    }
  }
}`;

interface TraceEvent {
  seq: number;
  ts: string;
  type: string;
  payload: string;
  redactions: number;
}
interface PrTraceData {
  prTrace: {
    traceId: string;
    prId: string;
    repoName: string;
    title: string;
    status: string;
    branch: string;
    os: string;
    ideVersion: string;
    languages: string[];
    eventCount: number;
    events: TraceEvent[];
    analytics: {
      edits: number;
      commands: number;
      commandsFailed: number;
      testRuns: number;
      testRunsFailed: number;
      testsPassed: number;
      testsFailed: number;
      commits: number;
      annotations: number;
      linesAdded: number;
      linesRemoved: number;
      filesEdited: number;
      durationMs: number | null;
      msFirstEditToFirstPassingTest: number | null;
      consistency: {
        consistent: boolean;
        clientSeqGaps: number[];
        clientSeqRepeats: number[];
        timestampsBackwards: number[];
        outsideLifetime: number[];
        gapsTruncated: boolean;
      };
    };
  } | null;
}

type Payload = Record<string, unknown>;
/** A payload field as text: strings and numbers as they are, anything else as JSON. */
const text = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);

/** One line of the timeline: what happened, red or green where it passed or failed. */
function describe(event: TraceEvent): { summary: string; outcome?: 'pass' | 'fail' } {
  let p: Payload = {};
  try {
    p = JSON.parse(event.payload) as Payload;
  } catch {
    p = {};
  }
  switch (event.type) {
    case 'edit':
      return { summary: `${text(p.file)} ${text(p.change_summary)}`.trim() };
    case 'command': {
      const exit = Number(p.exit_code);
      return {
        summary: `$ ${text(p.command)} → exit ${text(p.exit_code)}`,
        outcome: exit === 0 ? 'pass' : 'fail',
      };
    }
    case 'test': {
      const failed = Number(p.failed ?? 0);
      return {
        summary: `${text(p.command)}: ${text(p.passed)} passed, ${text(p.failed)} failed`,
        outcome: failed > 0 ? 'fail' : 'pass',
      };
    }
    case 'commit':
      return { summary: `${text(p.sha).slice(0, 10)} ${text(p.message)} (${text(p.files_changed)} files)` };
    case 'annotation':
      return { summary: text(p.note) };
    default:
      return { summary: event.payload.slice(0, 200) };
  }
}

/** One PR trace replayed in order of its server sequence, with its analytics and consistency. */
export function PrTraceDetail() {
  const { params } = useRoute();
  const href = useHref();
  const state = useQuery<PrTraceData>(PR_TRACE, { traceId: params.traceId });
  return (
    <div class="grid">
      <p class="crumbs">
        <a href={href('/pr-traces')}>PR traces</a> / {params.traceId}
      </p>
      <Panel title="Trace" state={state} isEmpty={(d) => d.prTrace === null} wide>
        {(d) => {
          const t = d.prTrace!;
          const a = t.analytics;
          return (
            <>
              <h3 data-testid="trace-title">
                {prLabel(t.repoName, t.prId)}: {t.title}
              </h3>
              <p class="meta">
                {t.status} · {t.branch} · {t.os} · IDE {t.ideVersion} · {t.languages.join(', ')}
              </p>
              <div class="stats">
                <Stat label="Events" value={t.eventCount} testId="stat-trace-events" />
                <Stat label="Edits" value={a.edits} testId="stat-trace-edits" />
                <Stat
                  label="Commands (failed)"
                  value={`${a.commands} (${a.commandsFailed})`}
                  testId="stat-trace-commands"
                />
                <Stat
                  label="Test runs (failed)"
                  value={`${a.testRuns} (${a.testRunsFailed})`}
                  testId="stat-trace-tests"
                />
                <Stat label="Commits" value={a.commits} testId="stat-trace-commits" />
                <Stat
                  label="Lines +/−"
                  value={`+${a.linesAdded} / −${a.linesRemoved}`}
                  testId="stat-trace-lines"
                />
                <Stat
                  label="First edit → green"
                  value={
                    a.msFirstEditToFirstPassingTest === null
                      ? null
                      : Math.round(a.msFirstEditToFirstPassingTest / 1000)
                  }
                  unit=" s"
                  testId="stat-trace-to-green"
                />
              </div>
              <h3>Consistency</h3>
              <p data-testid="trace-consistency" class={a.consistency.consistent ? 'ok' : 'warn'}>
                {a.consistency.consistent
                  ? 'Consistent: no gaps, repeats or clock jumps.'
                  : [
                      a.consistency.clientSeqGaps.length
                        ? `client sequence gaps at ${a.consistency.clientSeqGaps.join(', ')}${a.consistency.gapsTruncated ? '…' : ''}`
                        : '',
                      a.consistency.clientSeqRepeats.length
                        ? `repeated client sequences ${a.consistency.clientSeqRepeats.join(', ')}`
                        : '',
                      a.consistency.timestampsBackwards.length
                        ? `timestamps going back at ${a.consistency.timestampsBackwards.join(', ')}`
                        : '',
                      a.consistency.outsideLifetime.length
                        ? `events outside the PR's lifetime at ${a.consistency.outsideLifetime.join(', ')}`
                        : '',
                    ]
                      .filter(Boolean)
                      .join('; ')}
              </p>
              <h3>Timeline</h3>
              <ol class="timeline" data-testid="trace-timeline">
                {[...t.events]
                  .sort((x, y) => x.seq - y.seq)
                  .map((event) => {
                    const { summary, outcome } = describe(event);
                    return (
                      <li key={event.seq} class={`event ${event.type} ${outcome ?? ''}`} data-seq={event.seq}>
                        <span class="seq">#{event.seq}</span>
                        <time>{event.ts}</time>
                        <span class="type">{event.type}</span>
                        <span class="summary">{summary}</span>
                        {event.redactions > 0 ? (
                          <span class="redacted">{event.redactions} redacted</span>
                        ) : null}
                      </li>
                    );
                  })}
              </ol>
            </>
          );
        }}
      </Panel>
    </div>
  );
}
