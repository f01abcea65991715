import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { AppConfig } from '@th/platform';
import { CLUSTER_INSERT_SETTINGS } from './migration-runner';

export type StoreConfig = Pick<
  AppConfig,
  | 'CLICKHOUSE_URL'
  | 'CLICKHOUSE_USER'
  | 'CLICKHOUSE_PASSWORD'
  | 'CLICKHOUSE_DATABASE'
  | 'CLICKHOUSE_CLUSTER'
  | 'DATA_DIR'
>;

/** How long one statement may run and how much memory it may take; the store itself stops it past either. */
export interface StoreLimits {
  queryTimeoutSeconds: number;
  /** `max_memory_usage` in bytes; 0 leaves the store's own limit. */
  maxMemoryBytes?: number;
}

const DEFAULT_LIMITS: StoreLimits = { queryTimeoutSeconds: 30 };

/**
 * Settings every connection uses, so the same SQL behaves the same on chDB and on a server.
 * `max_execution_time` and `max_memory_usage` bound every read; migrations lift the time for their
 * own statements.
 */
function sessionSettings(limits: StoreLimits) {
  return {
    date_time_input_format: 'best_effort',
    output_format_json_quote_64bit_integers: 1,
    max_execution_time: limits.queryTimeoutSeconds,
    // One query cannot take the server (or, with chDB, this process) down by its memory.
    ...(limits.maxMemoryBytes ? { max_memory_usage: String(limits.maxMemoryBytes) } : {}),
  } as const;
}

/** Where the data goes: a ClickHouse server when CLICKHOUSE_URL is set, chDB in-process otherwise. */
export type StoreTarget =
  | {
      kind: 'server';
      url: string;
      username: string;
      password: string;
      database: string;
      /** CLICKHOUSE_CLUSTER: the tables are Distributed over this cluster. */
      cluster?: string;
    }
  | { kind: 'embedded'; path: string };

export function storeTarget(config: StoreConfig): StoreTarget {
  if (config.CLICKHOUSE_URL) {
    return {
      kind: 'server',
      url: config.CLICKHOUSE_URL.toString(),
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      database: config.CLICKHOUSE_DATABASE,
      cluster: config.CLICKHOUSE_CLUSTER,
    };
  }
  return { kind: 'embedded', path: join(resolve(config.DATA_DIR), 'clickhouse') };
}

/** Appends pre-serialised JSONCompactEachRow bytes to a table (the projector's hot path). */
export type RawInsert = (params: {
  table: string;
  columns: readonly string[];
  values: Buffer;
  deduplicationToken?: string;
}) => Promise<void>;

/** The store: the client every read and migration uses, and the insert path rows take. */
export interface Store {
  client: ClickHouseClient;
  rawInsert: RawInsert;
  /**
   * Closes the client. With chDB, also waits for the engine to finish what it still computes (a
   * read whose caller gave up at a timeout runs on to its own end) and to release the data
   * directory, so the process can open another store at once (tests, a restart in process).
   */
  close(): Promise<void>;
}

/** chDB's own wait for its native work and deferred teardowns (not in its type declarations). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { drainPending } = require('chdb') as { drainPending(): Promise<void> };

/**
 * One `@clickhouse/client` for both targets: only the connection differs, so every repository,
 * migration and projection runs the same code on chDB and on a ClickHouse server. Inserts of
 * projected rows go through chDB's native passthrough insert in-process (the engine parses the
 * bytes directly), and through the client's HTTP insert on a server.
 */
export function createStore(target: StoreTarget, limits = DEFAULT_LIMITS): Store {
  if (target.kind === 'embedded') {
    const connection = createChdbConnection({ path: target.path });
    const client = createClient({
      connection: connection as unknown as ClientConnection,
      clickhouse_settings: sessionSettings(limits),
    });
    return {
      client,
      close: async () => {
        await client.close();
        await drainPending();
      },
      rawInsert: async ({ table, columns, values, deduplicationToken }) => {
        await connection.chdb.rawInsert({
          table,
          columns,
          values,
          format: 'JSONCompactEachRow',
          settings: {
            date_time_input_format: 'best_effort',
            // One parsing thread: the embedded engine shares the cores with the HTTP side.
            input_format_parallel_parsing: 0,
            ...(deduplicationToken ? { insert_deduplication_token: deduplicationToken } : {}),
          },
        });
      },
    };
  }
  const client = createClickHouseClient(target, limits);
  return {
    client,
    close: () => client.close(),
    rawInsert: async ({ table, columns, values, deduplicationToken }) => {
      await client.insert({
        table,
        columns: [...columns] as [string, ...string[]],
        values: Readable.from([values], { objectMode: false }),
        format: 'JSONCompactEachRow',
        clickhouse_settings: deduplicationToken
          ? { insert_deduplication_token: deduplicationToken }
          : undefined,
      });
    },
  };
}

/** A client alone (tests, tools); apps use {@link createStore}. */
export function createClickHouseClient(target: StoreTarget, limits = DEFAULT_LIMITS): ClickHouseClient {
  switch (target.kind) {
    case 'server':
      return createClient({
        url: target.url,
        username: target.username,
        password: target.password,
        database: target.database,
        clickhouse_settings: {
          ...sessionSettings(limits),
          ...(target.cluster === undefined ? {} : CLUSTER_INSERT_SETTINGS),
        },
        // The server stops a read at max_execution_time; the socket waits a little longer for its answer.
        request_timeout: (limits.queryTimeoutSeconds + 10) * 1000,
        application: 'telemetry-hub',
      });
    case 'embedded':
      return createClient({
        connection: chdbConnection(target.path),
        clickhouse_settings: sessionSettings(limits),
      });
  }
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * chDB's Connection implements `@clickhouse/client-common`'s interface; `@clickhouse/client` bundles
 * its own copy of the same declarations, which TypeScript sees as distinct types. Same shape, so
 * the cast is only about the duplicated declarations.
 */
function chdbConnection(path: string): ClientConnection {
  return createChdbConnection({ path }) as unknown as ClientConnection;
}
