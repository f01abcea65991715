import { Inject, Injectable } from '@nestjs/common';
import { CreateConnectionSchema, UpdateConnectionSchema } from '../contract/connection.schema';
import { UnauthorizedError, ValidationFailedError, compileSchema } from '@th/platform';
import {
  type ConnectionView,
  DEFAULT_RATE_LIMIT_PER_HOUR,
  type StoredConnection,
  toConnectionView,
} from './connection';
import { ConnectionNotFoundError } from './connection-errors';
import { CONNECTION_STORE, type ConnectionStore } from './connection-store';
import { bearerToken, hashSecretToken, secretTokenMatches } from './secret-token';

const validateCreate = compileSchema(CreateConnectionSchema);
const validateUpdate = compileSchema(UpdateConnectionSchema);

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

  constructor(@Inject(CONNECTION_STORE) private readonly repository: ConnectionStore) {}

  async list(): Promise<ConnectionView[]> {
    return (await this.repository.list()).map(toConnectionView);
  }

  async get(id: number): Promise<ConnectionView> {
    return toConnectionView(await this.require(id));
  }

  async create(input: unknown): Promise<ConnectionView> {
    const checked = validateCreate(input ?? {});
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const body = checked.value;
    // Ids come from max(id) + 1; serialising here keeps two creates in this process apart.
    const created = this.withIdLock(async () => {
      const now = new Date().toISOString();
      const connection: StoredConnection = {
        id: (await this.repository.highestId()) + 1,
        name: body.name.trim(),
        endpoint: body.endpoint ?? '',
        proxy: body.proxy ?? '',
        rateLimitPerHour: body.rateLimitPerHour ?? DEFAULT_RATE_LIMIT_PER_HOUR,
        secretTokenHash: body.secretToken ? hashSecretToken(body.secretToken) : '',
        createdAt: now,
        updatedAt: now,
      };
      await this.repository.save(connection);
      return connection;
    });
    const connection = await created;
    this.remember(connection.id, connection);
    return toConnectionView(connection);
  }

  async update(id: number, input: unknown): Promise<ConnectionView> {
    const checked = validateUpdate(input ?? {});
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const patch = checked.value;
    const current = await this.require(id);
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
            : hashSecretToken(patch.secretToken),
      updatedAt: new Date().toISOString(),
    };
    await this.repository.save(updated);
    this.remember(id, updated);
    return toConnectionView(updated);
  }

  async delete(id: number): Promise<void> {
    const current = await this.require(id);
    await this.repository.markDeleted(current);
    this.remember(id, undefined);
  }

  /**
   * Checks that a report may be posted to this connection: it exists (404 otherwise) and, when it
   * has a secret token, the request carries it as a bearer token (401 otherwise).
   */
  async authorizeReport(id: number, authorization: string | undefined): Promise<void> {
    const connection = await this.cached(id);
    if (!connection) throw new ConnectionNotFoundError(id);
    if (connection.secretTokenHash === '') return;
    const token = bearerToken(authorization);
    if (token === undefined)
      throw new UnauthorizedError('missing bearer token: send Authorization: Bearer <secretToken>');
    if (!secretTokenMatches(token, connection.secretTokenHash))
      throw new UnauthorizedError('invalid secret token');
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
