import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  type AccessDecision,
  type AppConfig,
  ForbiddenError,
  UnauthorizedError,
  counter,
} from '@th/platform';
import type { ApiKeyRecord } from './api-key.schema';
import { ApiKeysService, allowsPath } from './api-keys.service';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { isLoopback } from './loopback';
import { presentedKey } from './presented-key';

const refusals = counter('access_refused_total', 'Requests refused by the access rules, by reason', [
  'reason',
] as const);

/** What a key with each scope may do: `admin` includes `read`; `ingest` stands alone. */
const SATISFIES: Record<string, readonly AccessDecision[]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ['admin', 'read'],
};

/** How to get the first key, in every refusal that has no key to blame. */
export const FIRST_KEY_HELP =
  "create an API key: set BOOTSTRAP_ADMIN_KEY (generate one with `npm run keys -- generate`) and restart, or on the hub's machine run `npm run keys -- create --scope read --name <who>`; send it as Authorization: Bearer <key> or X-Api-Key";

/** The key's allowed path matches the request's path or the part of it after a mount prefix. */
function reachesResource(record: ApiKeyRecord, path: string): boolean {
  const segments = path.split('/');
  for (let start = 1; start < segments.length; start++)
    if (allowsPath(record, `/${segments.slice(start).join('/')}`)) return true;
  return false;
}

/** Counts a refusal and marks the error with the decision it failed (`access` in the body). */
function refused<E extends UnauthorizedError | ForbiddenError>(
  reason: string,
  decision: AccessDecision,
  error: E,
): E {
  refusals.inc({ reason });
  error.details.access = decision;
  return error;
}

export class MissingDecisionError extends ForbiddenError {
  constructor(what: string) {
    super(`${what} has no access decision: refused (every route must declare one)`);
  }
}

/** A request as the rules see it, whatever carried it (HTTP, GraphQL, gRPC). */
export interface AccessRequest {
  decision: AccessDecision | undefined;
  /** `GET /stats`, `query appStats`: for messages. */
  what: string;
  headers: Record<string, string | string[] | undefined>;
  clientIp: string;
  /** The path, for keys tied to one resource. */
  path: string;
  /** Where the caller's key id is noted (rate limits and logs know the caller by it). */
  onKey?: (record: ApiKeyRecord) => void;
}

/**
 * The hub's access rules. Every route and operation declares a decision (see `Access`; GraphQL
 * queries default to `read`, mutations to `admin`). A presented key must be live and carry a scope
 * the decision accepts; a key tied to one resource (a DevLake connection's) reaches that resource's
 * paths only. Without a key: `ingest` is open unless INGEST_AUTH=required; `read` and `admin` are
 * served only while no read or admin key exists, on a hub bound to a loopback address, to loopback
 * clients. Anything without a decision is refused.
 */
@Injectable()
export class AccessRules {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly failures: FailedAuthLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check({ decision, what, headers, clientIp, path, onKey }: AccessRequest): Promise<void> {
    if (decision === undefined) {
      refusals.inc({ reason: 'no_decision' });
      throw new MissingDecisionError(what);
    }
    if (decision === 'public' || decision === 'own-credential') return;
    const key = presentedKey(headers);
    if (key !== undefined) {
      const record = await this.withKey(key, decision, path, what, clientIp);
      onKey?.(record);
      return;
    }
    if (decision === 'ingest') {
      if (this.config.INGEST_AUTH === 'open') return;
      throw refused(
        'missing_key',
        decision,
        new UnauthorizedError(
          `${what} needs an API key with the ingest scope (INGEST_AUTH=required): send it as Authorization: Bearer <key> or X-Api-Key`,
        ),
      );
    }
    if (await this.keys.hasAccessKeys()) {
      throw refused(
        'missing_key',
        decision,
        new UnauthorizedError(
          `${what} needs an API key with the ${decision} scope: send it as Authorization: Bearer <key> or X-Api-Key`,
        ),
      );
    }
    if (isLoopback(this.config.HOST) && isLoopback(clientIp)) return;
    throw refused(
      'no_key_yet',
      decision,
      new UnauthorizedError(
        `no API key exists yet, so ${what} is served keyless only to localhost on a hub bound to localhost: ${FIRST_KEY_HELP}`,
      ),
    );
  }

  private async withKey(
    key: string,
    decision: AccessDecision,
    path: string,
    what: string,
    clientIp: string,
  ): Promise<ApiKeyRecord> {
    const attempt = { credential: 'api_key', clientIp } as const;
    await this.failures.admit(attempt);
    const record = await this.keys.find(key);
    if (!record) {
      await this.failures.failed(attempt);
      throw refused(
        'unknown_key',
        decision,
        new UnauthorizedError('the API key is not valid (unknown or revoked)'),
      );
    }
    if (!allows(record, decision, path)) {
      throw refused(
        'out_of_scope',
        decision,
        new ForbiddenError(
          `this API key's scopes (${record.scopes.join(', ') || 'none'}) do not allow ${what}, which needs ${decision}`,
        ),
      );
    }
    void this.keys.touch(record).catch(() => undefined);
    return record;
  }
}

function allows(record: ApiKeyRecord, decision: AccessDecision, path: string): boolean {
  // A key tied to one resource (a DevLake connection's) reaches that resource's paths, wherever
  // they are mounted (`/rest`, `/api/rest`...), and nothing else; the routes check it further.
  if (record.allowedPath !== '') return reachesResource(record, path);
  return record.scopes.some((scope) => SATISFIES[scope]?.includes(decision));
}
