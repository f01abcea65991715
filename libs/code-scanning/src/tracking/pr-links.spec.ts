import { linkPullRequest } from './pr-links';

const sessions = [
  { sessionId: 'devin-8f2a9c0d1e', issueIds: ['CQLF-R15-0001'] },
  { sessionId: 'devin-77aa00bb11', issueIds: ['CQLF-R15-0002', 'CQLF-R15-0003'] },
];

describe('linkPullRequest', () => {
  it('links by session id in the title or body, and lists the issue ids named', () => {
    expect(
      linkPullRequest(
        { title: 'Fix SQL injection', body: 'Session devin-8f2a9c0d1e fixes CQLF-R15-0001' },
        sessions,
      ),
    ).toEqual({
      sessionId: 'devin-8f2a9c0d1e',
      issueIds: ['CQLF-R15-0001'],
    });
  });

  it("falls back to a session's issue ids, and matches sessions before issue ids", () => {
    expect(linkPullRequest({ title: 'fix: CQLF-R15-0003', body: null }, sessions)).toEqual({
      sessionId: 'devin-77aa00bb11',
      issueIds: ['CQLF-R15-0003'],
    });
    // names the first session's issue but the second session's id: the session id wins
    expect(
      linkPullRequest({ title: 'CQLF-R15-0001', body: 'from devin-77aa00bb11' }, sessions).sessionId,
    ).toBe('devin-77aa00bb11');
  });

  it('links nothing when neither is named', () => {
    expect(linkPullRequest({ title: 'Bump deps', body: 'CQLF-R99-0001' }, sessions)).toEqual({
      sessionId: null,
      issueIds: ['CQLF-R99-0001'],
    });
  });
});
