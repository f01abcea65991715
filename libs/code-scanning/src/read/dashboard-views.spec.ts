import type { StoredPullRequest, StoredRun } from './codescan.repository';
import { pullRequestItems, sessionViews } from './dashboard-views';

const run = (overrides: Partial<StoredRun> = {}): StoredRun => ({
  targetRepo: 'acme/payments',
  runKey: 'n:15',
  targetRepoUrl: 'https://github.com/acme/payments',
  forkUrl: 'https://github.com/acme-bot/payments',
  runNumber: 15,
  runId: null,
  runLabel: 'run-15',
  timestamp: '2026-03-02T10:00:00.000Z',
  timestampAsWritten: '2026-03-02T10:00:00+00:00',
  runUrl: null,
  issuesFound: 2,
  issuesDispatched: null,
  zeroIssueRun: null,
  severityBreakdown: {},
  categoryBreakdown: {},
  batchesCreated: 2,
  sessions: [
    {
      sessionId: 'devin-aaa111',
      sessionUrl: null,
      batchId: 1,
      status: 'created',
      issueIds: ['CQLF-R15-0001'],
      prUrl: null,
    },
    {
      sessionId: 'devin-bbb222',
      sessionUrl: null,
      batchId: 2,
      status: 'created',
      issueIds: ['CQLF-R15-0002'],
      prUrl: null,
    },
  ],
  fingerprintsComputed: false,
  ...overrides,
});

const pr = (number: number, title: string, body: string, userLogin = 'alice'): StoredPullRequest => ({
  repo: 'acme-bot/payments',
  number,
  title,
  body,
  htmlUrl: `https://github.com/acme-bot/payments/pull/${number}`,
  state: 'open',
  merged: false,
  createdAt: '2026-03-02T12:00:00Z',
  userLogin,
});

describe('dashboard views', () => {
  it('keeps fix PRs only, once each, linked to the bare session id and the issue ids they name', () => {
    const items = pullRequestItems(
      [
        pr(1, 'Fix', 'https://app.devin.ai/sessions/aaa111'),
        pr(1, 'Fix', 'https://app.devin.ai/sessions/aaa111'),
        pr(2, 'fix CQLF-R15-0002', ''),
        pr(3, 'Bump', 'deps'),
      ],
      [run()],
    );
    expect(items.map((i) => [i.pr_number, i.session_id, i.issue_ids])).toEqual([
      [1, 'aaa111', []],
      [2, '', ['CQLF-R15-0002']],
    ]);
  });

  it("shows a session's latest polled status and records only its changes, from the run's own", () => {
    const [view] = sessionViews(
      [run()],
      [
        { sessionId: 'devin-aaa111', observedAt: '2026-03-02T11:00:00.000Z', status: 'running', prUrl: null },
        { sessionId: 'devin-aaa111', observedAt: '2026-03-02T12:00:00.000Z', status: 'running', prUrl: null },
        {
          sessionId: 'devin-aaa111',
          observedAt: '2026-03-02T13:00:00.000Z',
          status: 'finished',
          prUrl: 'https://github.com/acme-bot/payments/pull/9',
        },
      ],
      [],
    );
    expect(view.item).toMatchObject({
      status: 'finished',
      pr_url: 'https://github.com/acme-bot/payments/pull/9',
      timestamp: '2026-03-02T10:00:00+00:00',
    });
    expect(view.history).toEqual([
      { status: 'created', at: '2026-03-02T10:00:00.000Z', source: 'run' },
      { status: 'running', at: '2026-03-02T11:00:00.000Z', source: 'poll' },
      { status: 'finished', at: '2026-03-02T13:00:00.000Z', source: 'poll' },
    ]);
  });

  it('gives a session without a PR URL the one of the PR linked to it, by session id or issue id', () => {
    const runs = [run()];
    const prs = pullRequestItems([pr(1, 'Fix', 'sessions/aaa111'), pr(2, 'fix CQLF-R15-0002', '')], runs);
    expect(sessionViews(runs, [], prs).map((v) => v.item.pr_url)).toEqual([
      'https://github.com/acme-bot/payments/pull/1',
      'https://github.com/acme-bot/payments/pull/2',
    ]);
  });
});
