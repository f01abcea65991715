import { useState } from 'preact/hooks';
import { HubError, action } from '../api/client';
import { useQuery } from '../api/use-query';
import { useHref } from '../api/time-range';
import { DataTable } from '../components/data-table';
import { ErrorNote, Panel, Stat } from '../components/panel';

const CODE_SCANNING = `query CodeScanning {
  scanStats {
    reposScanned totalRuns totalIssues latestIssues sessionsCreated sessionsFinished sessionsWithPr
    prsTotal prsMerged prsOpen fixRate findingsFixedRate
  }
  repoSummaries { repo runs issuesFound lastRun sessionsCreated sessionsFinished prsTotal prsMerged findingsFixedRate }
}`;

interface CodeScanningData {
  scanStats: {
    reposScanned: number;
    totalRuns: number;
    totalIssues: number;
    latestIssues: number;
    sessionsCreated: number;
    sessionsFinished: number;
    sessionsWithPr: number;
    prsTotal: number;
    prsMerged: number;
    prsOpen: number;
    fixRate: number;
    findingsFixedRate: number;
  };
  repoSummaries: {
    repo: string;
    runs: number;
    issuesFound: number;
    lastRun: string;
    sessionsCreated: number;
    sessionsFinished: number;
    prsTotal: number;
    prsMerged: number;
    findingsFixedRate: number;
  }[];
}

/** The repo's owner/name from what the hub gives (`owner/repo` or its GitHub URL). */
export function repoSlug(repo: string): string {
  return repo.replace(/^https?:\/\/github\.com\//, '').replace(/\/$/, '');
}

/** Runs one of the code-scanning actions (poll, refresh) and says how it went. */
function ActionButton({ label, path, onDone }: { label: string; path: string; onDone: () => void }) {
  const [state, setState] = useState<{ running: boolean; result?: string; error?: HubError }>({
    running: false,
  });
  return (
    <div class="action">
      <button
        type="button"
        disabled={state.running}
        onClick={() => {
          setState({ running: true });
          action<Record<string, unknown>>(path).then(
            (result) => {
              setState({ running: false, result: JSON.stringify(result).slice(0, 300) });
              onDone();
            },
            (error: unknown) =>
              setState({
                running: false,
                error: error instanceof HubError ? error : new HubError(String(error), undefined, undefined),
              }),
          );
        }}
      >
        {state.running ? `${label}…` : label}
      </button>
      {state.result ? (
        <p class="ok" role="status">
          Done: {state.result}
        </p>
      ) : null}
      {state.error ? <ErrorNote error={state.error} /> : null}
    </div>
  );
}

/** The old code-scanning dashboard's figures, its repos, and its poll and refresh actions. */
export function CodeScanning() {
  const href = useHref();
  const state = useQuery<CodeScanningData>(CODE_SCANNING);
  return (
    <div class="grid">
      <Panel title="Code scanning" state={state} wide>
        {(d) => (
          <>
            <div class="stats">
              <Stat label="Repos" value={d.scanStats.reposScanned} testId="stat-scan-repos" />
              <Stat label="Runs" value={d.scanStats.totalRuns} testId="stat-scan-runs" />
              <Stat label="Issues (all runs)" value={d.scanStats.totalIssues} testId="stat-scan-issues" />
              <Stat
                label="Issues (latest runs)"
                value={d.scanStats.latestIssues}
                testId="stat-scan-latest-issues"
              />
              <Stat label="Sessions" value={d.scanStats.sessionsCreated} testId="stat-scan-sessions" />
              <Stat label="PRs" value={d.scanStats.prsTotal} testId="stat-scan-prs" />
              <Stat label="Fix rate" value={d.scanStats.fixRate} unit=" %" testId="stat-scan-fix-rate" />
              <Stat
                label="Findings fixed"
                value={d.scanStats.findingsFixedRate}
                unit=" %"
                testId="stat-scan-findings-fixed"
              />
            </div>
            <div class="actions">
              <ActionButton label="Poll sessions" path="/api/poll" onDone={state.reload} />
              <ActionButton label="Poll PRs" path="/api/poll-prs" onDone={state.reload} />
              <ActionButton label="Refresh" path="/api/refresh" onDone={state.reload} />
            </div>
          </>
        )}
      </Panel>
      <Panel
        title="Repos"
        state={state}
        isEmpty={(d) => d.repoSummaries.length === 0}
        emptyText="No runs yet: push one to POST /api/runs."
        wide
      >
        {(d) => (
          <DataTable
            testId="table-repos"
            rows={d.repoSummaries}
            initialSort={{ key: 'last', descending: true }}
            columns={[
              {
                key: 'repo',
                label: 'Repo',
                value: (r) => repoSlug(r.repo),
                render: (r) => (
                  <a href={href(`/code-scanning/repos/${repoSlug(r.repo)}`)}>{repoSlug(r.repo)}</a>
                ),
              },
              { key: 'runs', label: 'Runs', value: (r) => r.runs, numeric: true },
              { key: 'issues', label: 'Issues (latest run)', value: (r) => r.issuesFound, numeric: true },
              { key: 'sessions', label: 'Sessions', value: (r) => r.sessionsCreated, numeric: true },
              {
                key: 'prs',
                label: 'PRs (merged)',
                value: (r) => r.prsTotal,
                render: (r) => `${r.prsTotal} (${r.prsMerged})`,
                numeric: true,
              },
              { key: 'fixed', label: 'Findings fixed %', value: (r) => r.findingsFixedRate, numeric: true },
              { key: 'last', label: 'Last run', value: (r) => r.lastRun },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
