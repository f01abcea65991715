import { ISSUE_ID_PATTERN } from '../contract/run-file.schema';

const ISSUE_IDS = new RegExp(ISSUE_ID_PATTERN.slice(1, -1), 'g');

/**
 * A session id as the old dashboard matched it in PR text: without its `devin-` prefix (PR bodies
 * carry the session URL, which has the bare id). Empty and `dry-run` sessions match nothing.
 */
export function matchableSessionId(sessionId: string): string | undefined {
  if (sessionId === '' || sessionId === 'dry-run') return undefined;
  return sessionId.startsWith('devin-') ? sessionId.slice('devin-'.length) : sessionId;
}

/** A PR of a fork as the GitHub API lists it, as far as linking needs it. */
export interface PullRequestText {
  title: string;
  body: string | null;
  userLogin: string;
}

/** What the old dashboard kept of a PR: its session (bare id, or '') and the issue ids it names. */
export interface PullRequestLink {
  sessionId: string;
  issueIds: string[];
}

/**
 * The old dashboard's rule, exactly: in the PR's title and body (joined as it joined them), the
 * first matchable session id found links the PR to that session; the issue ids are every
 * `CQLF-R\d+-\d+` named, first occurrence first. A PR that names neither and whose author's login
 * does not contain `devin` is not a fix PR: undefined.
 */
export function linkPullRequest(
  pr: PullRequestText,
  sessionIds: readonly string[],
): PullRequestLink | undefined {
  const text = pr.title + (pr.body ?? '');
  const issueIds = [...new Set(text.match(ISSUE_IDS) ?? [])];
  const sessionId = sessionIds.find((id) => text.includes(id)) ?? '';
  if (issueIds.length === 0 && sessionId === '' && !pr.userLogin.toLowerCase().includes('devin'))
    return undefined;
  return { sessionId, issueIds };
}

/** A session as far as finding its PR needs it. */
export interface SessionForPr {
  sessionId: string;
  issueIds: readonly string[];
  /** The PR URL the run file or the session service gave; kept when set. */
  prUrl: string | null;
}

/**
 * The PR URL of each session, as the old dashboard filled it: the one it already has, else the
 * PR linked to its (bare) session id, else a PR naming one of its issue ids (the session's issue
 * ids in order; of several PRs naming one issue, the last listed).
 */
export function sessionPrUrls(
  sessions: readonly SessionForPr[],
  prs: readonly (PullRequestLink & { htmlUrl: string })[],
): (string | null)[] {
  const bySession = new Map<string, string>();
  const byIssue = new Map<string, string>();
  for (const pr of prs) {
    if (pr.sessionId) bySession.set(pr.sessionId, pr.htmlUrl);
    for (const id of pr.issueIds) byIssue.set(id, pr.htmlUrl);
  }
  return sessions.map((session) => {
    if (session.prUrl) return session.prUrl;
    const bare = session.sessionId.startsWith('devin-')
      ? session.sessionId.slice('devin-'.length)
      : session.sessionId;
    const linked = bySession.get(bare);
    if (linked !== undefined) return linked;
    for (const id of session.issueIds) {
      const url = byIssue.get(id);
      if (url !== undefined) return url;
    }
    return null;
  });
}
