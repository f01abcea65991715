import { linkPullRequest, matchableSessionId, sessionPrUrls } from './pr-links';

const sessionIds = ['devin-8f2a9c0d1e', 'devin-77aa00bb11', 'dry-run', '']
  .map(matchableSessionId)
  .filter((id): id is string => id !== undefined);

describe('PR links (the old dashboard rules)', () => {
  it('matches sessions by their bare id, as PR bodies carry the session URL', () => {
    expect(sessionIds).toEqual(['8f2a9c0d1e', '77aa00bb11']);
    expect(
      linkPullRequest(
        {
          title: 'Fix SQL injection',
          body: 'https://app.devin.ai/sessions/8f2a9c0d1e fixes CQLF-R15-0001 and CQLF-R15-0001',
          userLogin: 'devin-ai-integration[bot]',
        },
        sessionIds,
      ),
    ).toEqual({ sessionId: '8f2a9c0d1e', issueIds: ['CQLF-R15-0001'] });
  });

  it('keeps a PR naming only issue ids, or opened by a devin login; drops any other PR', () => {
    expect(
      linkPullRequest({ title: 'fix: CQLF-R15-0003', body: null, userLogin: 'alice' }, sessionIds),
    ).toEqual({
      sessionId: '',
      issueIds: ['CQLF-R15-0003'],
    });
    expect(linkPullRequest({ title: 'chore', body: '', userLogin: 'Devin-Bot' }, sessionIds)).toEqual({
      sessionId: '',
      issueIds: [],
    });
    expect(
      linkPullRequest({ title: 'Bump deps', body: 'no refs', userLogin: 'dependabot' }, sessionIds),
    ).toBeUndefined();
  });

  it("fills each session's PR URL: its own, else by bare session id, else by its issue ids", () => {
    const prs = [
      { sessionId: '8f2a9c0d1e', issueIds: [], htmlUrl: 'https://github.com/acme-bot/payments/pull/1' },
      { sessionId: '', issueIds: ['CQLF-R15-0003'], htmlUrl: 'https://github.com/acme-bot/payments/pull/2' },
      { sessionId: '', issueIds: ['CQLF-R15-0003'], htmlUrl: 'https://github.com/acme-bot/payments/pull/3' },
    ];
    expect(
      sessionPrUrls(
        [
          { sessionId: 'devin-8f2a9c0d1e', issueIds: ['CQLF-R15-0001'], prUrl: null },
          { sessionId: 'devin-77aa00bb11', issueIds: ['CQLF-R15-0002', 'CQLF-R15-0003'], prUrl: null },
          {
            sessionId: 'devin-0000000000',
            issueIds: [],
            prUrl: 'https://github.com/acme-bot/payments/pull/9',
          },
          { sessionId: 'devin-1111111111', issueIds: ['CQLF-R15-0009'], prUrl: null },
        ],
        prs,
      ),
    ).toEqual([
      'https://github.com/acme-bot/payments/pull/1',
      'https://github.com/acme-bot/payments/pull/3',
      'https://github.com/acme-bot/payments/pull/9',
      null,
    ]);
  });
});
