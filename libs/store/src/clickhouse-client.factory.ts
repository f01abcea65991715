import { join, resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { AppConfig } from '@th/platform';

export type StoreConfig = Pick<
  AppConfig,
  'CLICKHOUSE_URL' | 'CLICKHOUSE_USER' | 'CLICKHOUSE_PASSWORD' | 'CLICKHOUSE_DATABASE' | 'DATA_DIR'
>;

/** Where the data goes: a ClickHouse server when CLICKHOUSE_URL is set, chDB in-process otherwise. */
export type StoreTarget =
  | { kind: 'server'; url: string; username: string; password: string; database: string }
  | { kind: 'embedded'; path: string };

export function storeTarget(config: StoreConfig): StoreTarget {
  if (config.CLICKHOUSE_URL) {
    return {
      kind: 'server',
      url: config.CLICKHOUSE_URL.toString(),
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      database: config.CLICKHOUSE_DATABASE,
    };
  }
  return { kind: 'embedded', path: join(resolve(config.DATA_DIR), 'clickhouse') };
}

/** Settings every connection uses, so the same SQL behaves the same on chDB and on a server. */
const SESSION_SETTINGS = {
  date_time_input_format: 'best_effort',
  output_format_json_quote_64bit_integers: 1,
} as const;

/**
 * One `@clickhouse/client` for both targets: only the connection differs, so every repository,
 * migration and projection runs the same code on chDB and on a ClickHouse server.
 */
export function createClickHouseClient(target: StoreTarget): ClickHouseClient {
  switch (target.kind) {
    case 'server':
      return createClient({
        url: target.url,
        username: target.username,
        password: target.password,
        database: target.database,
        clickhouse_settings: SESSION_SETTINGS,
        application: 'telemetry-hub',
      });
    case 'embedded':
      return createClient({ connection: chdbConnection(target.path), clickhouse_settings: SESSION_SETTINGS });
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
