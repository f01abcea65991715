import { useRoute } from 'preact-iso';
import { useQuery } from '../api/use-query';
import { useHref } from '../api/time-range';
import { Panel, Stat } from '../components/panel';

const SPAN_FIELDS = 'spanId parentSpanId name serviceName kind statusCode durationMs startTimeUnixNano';
const TRACE = `query Trace($traceId: String!) {
  trace(traceId: $traceId) {
    traceId rootName serviceName spanCount errorCount durationMs startTime truncated
    spans { ${SPAN_FIELDS} }
  }
}`;

interface Span {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  kind: string;
  statusCode: string;
  durationMs: number;
  startTimeUnixNano: string;
}
interface TraceData {
  trace: {
    traceId: string;
    rootName: string;
    serviceName: string;
    spanCount: number;
    errorCount: number;
    durationMs: number;
    startTime: string;
    truncated: boolean;
    spans: Span[];
  } | null;
}

/** Spans in tree order (each under its parent, siblings by start), with their depth. */
function treeOrder(spans: Span[]): { span: Span; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: Span, b: Span) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);
  const out: { span: Span; depth: number }[] = [];
  const walk = (parent: string, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort(byStart)) {
      out.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/** One OpenTelemetry trace as a waterfall: each span a bar at its start, as long as it ran. */
export function SpanTreePage() {
  const { params } = useRoute();
  const href = useHref();
  const state = useQuery<TraceData>(TRACE, { traceId: params.traceId });
  return (
    <div class="grid">
      <p class="crumbs">
        <a href={href('/services')}>Services</a> / trace {params.traceId}
      </p>
      <Panel title="Trace" state={state} isEmpty={(d) => d.trace === null} wide>
        {(d) => {
          const t = d.trace!;
          const rows = treeOrder(t.spans);
          const start = rows.reduce(
            (min, r) => (BigInt(r.span.startTimeUnixNano) < min ? BigInt(r.span.startTimeUnixNano) : min),
            BigInt(rows[0]?.span.startTimeUnixNano ?? '0'),
          );
          const total = Math.max(t.durationMs, 0.001);
          return (
            <>
              <h3 data-testid="otel-trace-root">{t.rootName}</h3>
              <div class="stats">
                <Stat label="Spans" value={t.spanCount} testId="stat-spans" />
                <Stat label="Errors" value={t.errorCount} testId="stat-span-errors" />
                <Stat label="Duration" value={t.durationMs} unit=" ms" testId="stat-trace-duration" />
              </div>
              {t.truncated ? <p class="warn">Only the first spans of this trace are shown.</p> : null}
              <ol class="waterfall" data-testid="span-tree">
                {rows.map(({ span, depth }) => {
                  const offsetMs = Number(BigInt(span.startTimeUnixNano) - start) / 1e6;
                  return (
                    <li
                      key={span.spanId}
                      class={span.statusCode === 'ERROR' ? 'span error' : 'span'}
                      data-depth={depth}
                    >
                      <span class="span-name" style={{ paddingLeft: `${depth * 16}px` }}>
                        {span.name} <small>{span.serviceName}</small>
                      </span>
                      <span class="span-track">
                        <span
                          class="span-bar"
                          style={{
                            left: `${(offsetMs / total) * 100}%`,
                            width: `${Math.max(0.5, (span.durationMs / total) * 100)}%`,
                          }}
                        />
                      </span>
                      <span class="span-ms">{span.durationMs.toFixed(1)} ms</span>
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
