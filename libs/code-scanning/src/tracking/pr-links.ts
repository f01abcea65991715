import { ISSUE_ID_PATTERN } from '../contract/run-file.schema';

/** A session as far as linking needs it. */
export interface LinkableSession {
  sessionId: string;
  issueIds: readonly string[];
}

/** A pull request as far as linking needs it (from the GitHub API). */
export interface LinkablePullRequest {
  title: string;
  body: string | null;
}

/** What a PR is linked to: its session (when one matched) and the issue ids it names. */
export interface PullRequestLink {
  sessionId: string | null;
  issueIds: string[];
}

const ISSUE_IDS = new RegExp(ISSUE_ID_PATTERN.slice(1, -1), 'g');

/**
 * The old dashboard's rule: a PR belongs to a session when its title or body contains the
 * session's id or one of the session's issue ids (`CQLF-R\d+-\d+`). Session ids are tried first,
 * in the order given, then issue ids. The PR's issue ids are every one its title and body name.
 */
export function linkPullRequest(
  pr: LinkablePullRequest,
  sessions: readonly LinkableSession[],
): PullRequestLink {
  const text = `${pr.title}\n${pr.body ?? ''}`;
  const issueIds = [...new Set(text.match(ISSUE_IDS) ?? [])];
  const bySession = sessions.find((s) => s.sessionId !== '' && text.includes(s.sessionId));
  if (bySession) return { sessionId: bySession.sessionId, issueIds };
  const named = new Set(issueIds);
  const byIssue = sessions.find((s) => s.issueIds.some((id) => named.has(id)));
  return { sessionId: byIssue?.sessionId ?? null, issueIds };
}
