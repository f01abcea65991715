import { BadRequestError } from '@th/platform';
import { OutsideBadAnswerError } from './outside-errors';
import { OutsideHttp } from './outside-http';

export const SESSION_SERVICE = 'the session service';

export interface SessionServiceClientOptions {
  /** DEVIN_API_KEY, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** DEVIN_API_URL, e.g. https://api.devin.ai/v1. */
  baseUrl: string | URL;
  timeoutMs: number;
  retries: number;
  retryBaseMs?: number;
  now?: () => number;
}

/** What the old dashboard kept of a session: its lower-cased status and the PR it opened. */
export interface SessionState {
  status: string;
  prUrl: string | null;
}

/** Whether a run's session id names a real session to ask about (not empty, not a dry run). */
export function pollableSessionId(sessionId: string): boolean {
  return sessionId !== '' && sessionId !== 'dry-run';
}

/** The session service's calls of the old dashboard's `POST /api/poll`. */
export class SessionServiceClient {
  private readonly http: OutsideHttp;
  private readonly base: string;

  constructor(options: SessionServiceClientOptions) {
    this.base = new URL(String(options.baseUrl)).href.replace(/\/+$/, '');
    this.http = new OutsideHttp({
      service: SESSION_SERVICE,
      credentialVar: 'DEVIN_API_KEY',
      headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      now: options.now,
    });
  }

  /** `GET /sessions/{id}`, the id without the `devin-` prefix runs give it. */
  async getSession(sessionId: string): Promise<SessionState> {
    const bareId = sessionId.startsWith('devin-') ? sessionId.slice('devin-'.length) : sessionId;
    // A `.` or `..` would be resolved as a path segment, however encoded.
    if (bareId === '' || /^\.+$/.test(bareId)) {
      throw new BadRequestError(`not a session id: "${sessionId}"`);
    }
    const { body } = await this.http.getJson(`${this.base}/sessions/${encodeURIComponent(bareId)}`);
    if (!isRecord(body)) {
      throw new OutsideBadAnswerError(
        SESSION_SERVICE,
        'sent a session that is not a JSON object',
        'check DEVIN_API_URL points at the session service API',
      );
    }
    return sessionState(body);
  }
}

/**
 * The old dashboard's reading of a session: `status_enum`, else `status`, lower-cased; the PR URL
 * from `structured_output`, else `result`, else `pull_request` (an object's `url` or `html_url`,
 * or the string itself). An empty URL is no URL.
 */
export function sessionState(body: Record<string, unknown>): SessionState {
  return { status: statusOf(body).toLowerCase(), prUrl: prUrlOf(body) };
}

function statusOf(body: Record<string, unknown>): string {
  const status = body.status_enum || body.status;
  if (typeof status === 'string' || typeof status === 'number' || typeof status === 'boolean') {
    return String(status);
  }
  return 'unknown';
}

function prUrlOf(body: Record<string, unknown>): string | null {
  const pullRequest = body.pull_request;
  return (
    nonEmpty(field(body.structured_output, 'pull_request_url')) ??
    nonEmpty(field(body.result, 'pull_request_url')) ??
    nonEmpty(field(pullRequest, 'url')) ??
    nonEmpty(field(pullRequest, 'html_url')) ??
    nonEmpty(pullRequest) ??
    null
  );
}

function field(holder: unknown, name: string): unknown {
  return isRecord(holder) ? holder[name] : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
