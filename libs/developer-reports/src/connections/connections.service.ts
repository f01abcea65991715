import { Inject, Injectable } from '@nestjs/common';
import { type AuthAttempt, ApiKeysService, FailedAuthLimiter, allowsPath } from '@th/access';
import {
  CreateConnectionSchema,
  RotateApiKeySchema,
  UpdateConnectionSchema,
} from '../contract/connection.schema';
import {
  ForbiddenError,
  UnauthorizedError,
  ValidationFailedError,
  compileSchema,
  counter,
} from '@th/platform';
import {
  type ConnectionView,
  DEFAULT_RATE_LIMIT_PER_HOUR,
  type StoredConnection,
  toConnectionView,
} from './connection';
import {
  CONNECTION_KEY_SCOPES,
  type ConnectionApiKeyView,
  connectionKeyOwner,
  toApiKeyView,
} from './connection-api-key';
import { ConnectionNotFoundError, DuplicateConnectionNameError } from './connection-errors';
import { CONNECTION_STORE, type ConnectionStore } from './connection-store';
import { DEVELOPER_REPORTS_SETTINGS, type DeveloperReportsConfig } from '../config';
import { behindKeyGate, connectionAllowedPath, pluginPath } from './devlake-paths';
import { SecretTokenChecker, bearerToken, hashSecretToken, newSecretToken } from './secret-token';

const validateCreate = compileSchema(CreateConnectionSchema);
const validateUpdate = compileSchema(UpdateConnectionSchema);
const validateRotate = compileSchema(RotateApiKeySchema);

/** How long a connection read for the report path is trusted before it is read again. */
const CACHE_TTL_MS = 5_000;

/**
 * DevLake connections: the one service behind both the REST routes and the GraphQL mutations.
 * Input is validated here, so both edges give the same answers. Report authentication reads
 * through a short cache, kept exact for writes made by this process.
 */
@Injectable()
export class ConnectionsService {
  private readonly cache = new Map<number, { connection: StoredConnection | undefined; readAt: number }>();
  private idLock: Promise<unknown> = Promise.resolve();
  private readonly tokens = new SecretTokenChecker();

  constructor(
    @Inject(CONNECTION_STORE) private readonly repository: ConnectionStore,
    private readonly keys: ApiKeysService,
    private readonly failures: FailedAuthLimiter,
    @Inject(DEVELOPER_REPORTS_SETTINGS) private readonly config: DeveloperReportsConfig,
  ) {}

  async list(): Promise<ConnectionView[]> {
    return (await this.repository.list()).map(toConnectionView);
  }

  async get(id: number): Promise<ConnectionView> {
    return toConnectionView(await this.require(id));
  }

  /** Creates a connection and, as DevLake does, its API key, returned this once. */
  async create(input: unknown): Promise<ConnectionView & { apiKey: ConnectionApiKeyView }> {
    const checked = validateCreate(input ?? {});
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const body = checked.value;
    // Hashed before the id lock: scrypt is slow on purpose, and creates need not wait for it.
    const secretTokenHash = body.secretToken ? await this.hash(body.secretToken) : '';
    // Ids come from max(id) + 1; serialising here keeps two creates in this process apart.
    const created = this.withIdLock(async () => {
      await this.requireUniqueName(body.name.trim());
      const now = new Date().toISOString();
      const connection: StoredConnection = {
        id: (await this.repository.highestId()) + 1,
        name: body.name.trim(),
        endpoint: body.endpoint ?? '',
        proxy: body.proxy ?? '',
        rateLimitPerHour: body.rateLimitPerHour ?? DEFAULT_RATE_LIMIT_PER_HOUR,
        secretTokenHash,
        createdAt: now,
        updatedAt: now,
      };
      await this.repository.save(connection);
      return connection;
    });
    const connection = await created;
    this.remember(connection.id, connection);
    return { ...toConnectionView(connection), apiKey: await this.issueKey(connection.id) };
  }

  /**
   * Issues a new API key for the connection and revokes the ones it had. With `apiKey` in the
   * input, that key is adopted instead of a random one: the key a DevLake installation's
   * collectors already hold keeps working, so moving to the hub changes only their host.
   */
  async rotateApiKey(id: number, input: unknown = {}): Promise<ConnectionApiKeyView> {
    const checked = validateRotate(input ?? {});
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const adopted = checked.value.apiKey;
    await this.require(id);
    if (adopted !== undefined && (await this.keys.find(adopted)))
      throw new ValidationFailedError([{ field: 'apiKey', message: 'is already in use by a key' }]);
    await this.keys.revokeOwner(connectionKeyOwner(id));
    return this.issueKey(id, adopted);
  }

  async update(id: number, input: unknown): Promise<ConnectionView> {
    const checked = validateUpdate(input ?? {});
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const patch = checked.value;
    const current = await this.require(id);
    if (patch.name !== undefined && patch.name.trim() !== current.name)
      await this.requireUniqueName(patch.name.trim());
    const updated: StoredConnection = {
      ...current,
      name: patch.name?.trim() ?? current.name,
      endpoint: patch.endpoint ?? current.endpoint,
      proxy: patch.proxy ?? current.proxy,
      rateLimitPerHour: patch.rateLimitPerHour ?? current.rateLimitPerHour,
      secretTokenHash:
        patch.secretToken === undefined
          ? current.secretTokenHash
          : patch.secretToken === null
            ? ''
            : await this.hash(patch.secretToken),
      updatedAt: new Date().toISOString(),
    };
    await this.repository.save(updated);
    this.remember(id, updated);
    return toConnectionView(updated);
  }

  /**
   * Generates a new secret token for the connection (256 random bits, `thct_...`), replacing the one
   * it had; the token is returned this once and kept only as its scrypt hash.
   */
  async generateSecretToken(id: number): Promise<ConnectionView & { secretToken: string }> {
    await this.require(id);
    const secretToken = newSecretToken();
    const secretTokenHash = await this.hash(secretToken);
    // Read again after the slow hash, so a change made meanwhile is not undone.
    const current = await this.require(id);
    const updated: StoredConnection = { ...current, secretTokenHash, updatedAt: new Date().toISOString() };
    await this.repository.save(updated);
    this.remember(id, updated);
    return { ...toConnectionView(updated), secretToken };
  }

  async delete(id: number): Promise<void> {
    const current = await this.require(id);
    await this.repository.markDeleted(current);
    this.remember(id, undefined);
    await this.keys.revokeOwner(connectionKeyOwner(id));
  }

  /**
   * Checks that a report may be posted to this connection, as DevLake and the hub's own routes do.
   * Behind DevLake's key gate (`/rest/...`): a bearer credential is required (401 when missing or
   * not Bearer), and it must be this connection's API key or its secret token (403 otherwise). On
   * the plugin's own path: a connection with a secret token needs it (or its API key) as a bearer
   * token (401 otherwise); one without takes reports as DevLake does. An unknown connection is 404.
   * A wrong credential counts against the client and the connection (see FailedAuthLimiter).
   */
  async authorizeReport(
    id: number,
    authorization: string | undefined,
    url: string,
    clientIp: string,
  ): Promise<void> {
    const connection = await this.cached(id);
    if (!connection) throw new ConnectionNotFoundError(id);
    const gated = behindKeyGate(url);
    const token = gated ? gateToken(authorization) : bearerToken(authorization);
    const attempt: AuthAttempt = { credential: 'report_token', clientIp, target: `connection:${id}` };
    if (token !== undefined) {
      await this.failures.admit(attempt);
      if (await this.credentialOpens(connection, token, url)) {
        this.failures.succeeded(attempt);
        return;
      }
      await this.failures.failed(attempt);
      if (gated) throw refused('unknown_key', new ForbiddenError('api key is invalid'));
    }
    if (connection.secretTokenHash === '' && !gated) return;
    throw token === undefined
      ? refused(
          'missing',
          new UnauthorizedError(
            "missing bearer token: send Authorization: Bearer <the connection's apiKey or secretToken>",
          ),
        )
      : refused('wrong_token', new UnauthorizedError('invalid secret token'));
  }

  /**
   * Whether the token is the connection's secret token or a key that reaches this path: false when
   * it is neither (a guess), a 403 when it is a key of another connection.
   */
  private async credentialOpens(connection: StoredConnection, token: string, url: string): Promise<boolean> {
    // A hub key is found by its hash in one lookup; only a token that is no key pays the slow hash.
    const key = await this.keys.find(token);
    if (key) {
      if (allowsPath(key, pluginPath(url))) return true;
      throw refused('out_of_scope', new ForbiddenError("path doesn't match api key's scope"));
    }
    return connection.secretTokenHash !== '' && this.tokens.matches(token, connection.secretTokenHash);
  }

  /**
   * DevLake's key gate for the routes other than reports: under `/rest/...` a request needs an API
   * key whose allowedPath covers the path (a connection's key covers its own test route).
   */
  async checkKeyGate(url: string, authorization: string | undefined, clientIp: string): Promise<void> {
    if (!behindKeyGate(url)) return;
    const token = gateToken(authorization);
    const attempt: AuthAttempt = { credential: 'api_key', clientIp };
    await this.failures.admit(attempt);
    const key = await this.keys.find(token);
    if (!key) {
      await this.failures.failed(attempt);
      throw refused('unknown_key', new ForbiddenError('api key is invalid'));
    }
    if (!allowsPath(key, pluginPath(url)))
      throw refused('out_of_scope', new ForbiddenError("path doesn't match api key's scope"));
  }

  private hash(token: string): Promise<string> {
    return hashSecretToken(token, this.config.CONNECTION_TOKEN_HASH_COST);
  }

  private async issueKey(id: number, key?: string): Promise<ConnectionApiKeyView> {
    const issued = await this.keys.issue({
      key,
      name: `developer_telemetry-connection-${id}`,
      scopes: CONNECTION_KEY_SCOPES,
      allowedPath: connectionAllowedPath(id),
      owner: connectionKeyOwner(id),
      prefix: 'thk_',
    });
    return toApiKeyView(issued);
  }

  /** Connection names are unique, as in DevLake (a duplicate is a 400). */
  private async requireUniqueName(name: string): Promise<void> {
    const taken = (await this.repository.list()).some((c) => c.name === name);
    if (taken) throw new DuplicateConnectionNameError(name);
  }

  private async require(id: number): Promise<StoredConnection> {
    const connection = await this.repository.get(id);
    this.remember(id, connection);
    if (!connection) throw new ConnectionNotFoundError(id);
    return connection;
  }

  private async cached(id: number): Promise<StoredConnection | undefined> {
    const entry = this.cache.get(id);
    if (entry && Date.now() - entry.readAt < CACHE_TTL_MS) return entry.connection;
    const connection = await this.repository.get(id);
    this.remember(id, connection);
    return connection;
  }

  private remember(id: number, connection: StoredConnection | undefined): void {
    this.cache.set(id, { connection, readAt: Date.now() });
  }

  private withIdLock<T>(work: () => Promise<T>): Promise<T> {
    const run = this.idLock.then(work, work);
    this.idLock = run.catch(() => undefined);
    return run;
  }
}

/**
 * The bearer credential behind DevLake's key gate, with its answers: no Authorization header, or
 * one that is not `Bearer <key>`, is a 401 with DevLake's message.
 */
function gateToken(authorization: string | undefined): string {
  if (!authorization) throw refused('missing', new UnauthorizedError('token is missing'));
  const token = bearerToken(authorization);
  if (token === undefined)
    throw refused('malformed', new UnauthorizedError('token is not present or malformed'));
  return token;
}

const refusedCredentials = counter(
  'developer_reports_refused_credentials_total',
  'DevLake plugin requests refused for their credential, by reason',
  ['reason'] as const,
);

type RefusalReason = 'missing' | 'malformed' | 'unknown_key' | 'out_of_scope' | 'wrong_token';

/** Counts a refused credential (an old key left in a fleet shows here) and returns the error. */
function refused<E extends Error>(reason: RefusalReason, error: E): E {
  refusedCredentials.inc({ reason });
  return error;
}
