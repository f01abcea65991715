import { type Static, Type } from '@sinclair/typebox';

/**
 * What `POST /api/poll` learnt from the session service: each polled session's status (lower
 * case, as the old dashboard kept it) and its PR URL when the service gave one. Appended to each
 * session's status history.
 */
export const CODESCAN_SESSION_STATUS_KIND = 'codescan-session-status';

export const SessionStatusEventSchema = Type.Object({
  /** When the session service was asked (ISO-8601 UTC); orders a session's history. */
  observedAt: Type.String(),
  sessions: Type.Array(
    Type.Object({
      sessionId: Type.String({ minLength: 1 }),
      status: Type.String({ minLength: 1 }),
      prUrl: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type SessionStatusEvent = Static<typeof SessionStatusEventSchema>;

/** What `POST /api/poll-prs` (and `/api/poll`) listed from GitHub: every PR of one fork repo. */
export const CODESCAN_PULL_REQUESTS_KIND = 'codescan-pull-requests';

export const PullRequestsEventSchema = Type.Object({
  /** `owner/repo` the PRs were listed from. */
  repo: Type.String({ minLength: 3 }),
  polledAt: Type.String(),
  pulls: Type.Array(
    Type.Object({
      number: Type.Integer({ minimum: 0 }),
      title: Type.String(),
      body: Type.String(),
      htmlUrl: Type.String(),
      state: Type.String(),
      merged: Type.Boolean(),
      createdAt: Type.String(),
      userLogin: Type.String(),
    }),
  ),
});
export type PullRequestsEvent = Static<typeof PullRequestsEventSchema>;
