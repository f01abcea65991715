import { useLocation, useRoute } from 'preact-iso';
import { useSetQueryParam } from '../api/query-param';
import { useQuery } from '../api/use-query';
import { useHref } from '../api/time-range';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';

const REPO = `query ScanRepo($repo: String!, $status: String) {
  scanIssues(repo: $repo, status: $status, limit: 500) {
    totalCount
    items {
      fingerprint ruleId severityTier file startLine status appearances firstSeenRun firstSeenDate lastSeenRun lastSeenDate latestIssueId
      history { runNumber date issueId file startLine }
    }
  }
  all: scanIssues(repo: $repo, limit: 1) { totalCount }
  fixed: scanIssues(repo: $repo, status: "fixed", limit: 1) { totalCount }
  recurring: scanIssues(repo: $repo, status: "recurring", limit: 1) { totalCount }
  new: scanIssues(repo: $repo, status: "new", limit: 1) { totalCount }
  scanRuns(repo: $repo, limit: 100) { totalCount items { runNumber runLabel timestamp issuesFound sessionCount } }
  fixSessions(repo: $repo, limit: 200) {
    items { sessionId sessionUrl status prUrl issueIds statusHistory { status at source } }
  }
  pullRequests(repo: $repo, limit: 200) { items { prNumber title htmlUrl state merged sessionId issueIds } }
}`;

interface Issue {
  fingerprint: string;
  ruleId: string;
  severityTier: string;
  file: string;
  startLine: number;
  status: string;
  appearances: number;
  firstSeenRun: number;
  firstSeenDate: string;
  lastSeenRun: number;
  lastSeenDate: string;
  latestIssueId: string;
  history: { runNumber: number; date: string; issueId: string; file: string; startLine: number }[];
}
interface RepoData {
  scanIssues: { totalCount: number; items: Issue[] };
  all: { totalCount: number };
  fixed: { totalCount: number };
  recurring: { totalCount: number };
  new: { totalCount: number };
  scanRuns: {
    totalCount: number;
    items: {
      runNumber: number;
      runLabel: string;
      timestamp: string;
      issuesFound: number;
      sessionCount: number;
    }[];
  };
  fixSessions: {
    items: {
      sessionId: string;
      sessionUrl: string;
      status: string;
      prUrl: string;
      issueIds: string[];
      statusHistory: { status: string; at: string; source: string }[];
    }[];
  };
  pullRequests: {
    items: {
      prNumber: number;
      title: string;
      htmlUrl: string;
      state: string;
      merged: boolean;
      sessionId: string;
      issueIds: string[];
    }[];
  };
}

const STATUSES = ['', 'new', 'recurring', 'fixed'];

/** One target repo: its findings tracked across runs (with their history), runs, sessions, PRs. */
export function ScanRepo() {
  const { params } = useRoute();
  const { query } = useLocation();
  const setParam = useSetQueryParam();
  const href = useHref();
  const repo = `${params.owner}/${params.repo}`;
  const state = useQuery<RepoData>(REPO, { repo, status: query.status || null });
  return (
    <div class="grid">
      <p class="crumbs">
        <a href={href('/code-scanning')}>Code scanning</a> / <span data-testid="repo-name">{repo}</span>
      </p>
      <Panel title={repo} state={state} wide>
        {(d) => (
          <div class="stats">
            <Stat label="Findings" value={d.all.totalCount} testId="stat-repo-findings" />
            <Stat label="New" value={d.new.totalCount} testId="stat-repo-new" />
            <Stat label="Recurring" value={d.recurring.totalCount} testId="stat-repo-recurring" />
            <Stat label="Fixed" value={d.fixed.totalCount} testId="stat-repo-fixed" />
            <Stat label="Runs" value={d.scanRuns.totalCount} testId="stat-repo-runs" />
          </div>
        )}
      </Panel>
      <Panel title="Findings" state={state} wide>
        {(d) => (
          <>
            <label class="filter">
              Status{' '}
              <select
                data-testid="issue-status"
                value={query.status ?? ''}
                onChange={(e) => setParam('status', (e.target as HTMLSelectElement).value)}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s || 'Any'}
                  </option>
                ))}
              </select>
            </label>
            <DataTable
              testId="table-issues"
              emptyText="No findings with this status."
              rows={d.scanIssues.items}
              initialSort={{ key: 'status', descending: false }}
              columns={[
                {
                  key: 'status',
                  label: 'Status',
                  value: (i) => i.status,
                  render: (i) => <span class={`badge ${i.status}`}>{i.status}</span>,
                },
                { key: 'rule', label: 'Rule', value: (i) => i.ruleId },
                { key: 'severity', label: 'Severity', value: (i) => i.severityTier },
                { key: 'place', label: 'Where', value: (i) => `${i.file}:${i.startLine}` },
                { key: 'seen', label: 'Seen in runs', value: (i) => i.appearances, numeric: true },
                {
                  key: 'history',
                  label: 'History',
                  value: (i) => i.firstSeenRun,
                  render: (i) => (
                    <details>
                      <summary>
                        run {i.firstSeenRun} → {i.lastSeenRun}
                      </summary>
                      <ul>
                        {i.history.map((h) => (
                          <li key={h.runNumber}>
                            run {h.runNumber} ({h.date.slice(0, 10)}): {h.issueId} at {h.file}:{h.startLine}
                          </li>
                        ))}
                      </ul>
                    </details>
                  ),
                },
              ]}
            />
          </>
        )}
      </Panel>
      <Panel title="Runs" state={state} isEmpty={(d) => d.scanRuns.items.length === 0} emptyText="None yet.">
        {(d) => (
          <DataTable
            testId="table-runs"
            rows={d.scanRuns.items}
            initialSort={{ key: 'run', descending: true }}
            columns={[
              { key: 'run', label: 'Run', value: (r) => r.runNumber, numeric: true },
              { key: 'when', label: 'When', value: (r) => r.timestamp },
              { key: 'issues', label: 'Issues', value: (r) => r.issuesFound, numeric: true },
              { key: 'sessions', label: 'Sessions', value: (r) => r.sessionCount, numeric: true },
            ]}
          />
        )}
      </Panel>
      <Panel
        title="Fix sessions"
        state={state}
        isEmpty={(d) => d.fixSessions.items.length === 0}
        emptyText="None yet."
      >
        {(d) => (
          <DataTable
            testId="table-sessions"
            rows={d.fixSessions.items}
            columns={[
              {
                key: 'session',
                label: 'Session',
                value: (s) => s.sessionId,
                render: (s) => (s.sessionUrl ? <a href={s.sessionUrl}>{s.sessionId}</a> : s.sessionId),
              },
              {
                key: 'status',
                label: 'Status',
                value: (s) => s.status,
                render: (s) => (
                  <span title={s.statusHistory.map((h) => `${h.at} ${h.status} (${h.source})`).join('\n')}>
                    {s.status}
                  </span>
                ),
              },
              { key: 'issues', label: 'Issues', value: (s) => s.issueIds.join(', ') },
              {
                key: 'pr',
                label: 'PR',
                value: (s) => s.prUrl,
                render: (s) => (s.prUrl ? <a href={s.prUrl}>PR</a> : '–'),
              },
            ]}
          />
        )}
      </Panel>
      <Panel
        title="Pull requests"
        state={state}
        isEmpty={(d) => d.pullRequests.items.length === 0}
        emptyText="None yet."
        wide
      >
        {(d) => (
          <DataTable
            testId="table-prs"
            rows={d.pullRequests.items}
            columns={[
              {
                key: 'pr',
                label: 'PR',
                value: (p) => p.prNumber,
                render: (p) => <a href={p.htmlUrl}>#{p.prNumber}</a>,
                numeric: true,
              },
              { key: 'title', label: 'Title', value: (p) => p.title },
              { key: 'state', label: 'State', value: (p) => (p.merged ? 'merged' : p.state) },
              { key: 'session', label: 'Session', value: (p) => p.sessionId },
              { key: 'issues', label: 'Issues', value: (p) => p.issueIds.join(', ') },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
