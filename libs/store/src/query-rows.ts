import type { ClickHouseClient } from '@clickhouse/client';
import { DomainError, ServiceUnavailableError } from '@th/platform';
import { clickHouseErrorCode, isTransientStoreError } from './store-errors';

/** ClickHouse's TIMEOUT_EXCEEDED: the read ran past max_execution_time and was stopped. */
const TIMEOUT_EXCEEDED = '159';
/** ClickHouse's MEMORY_LIMIT_EXCEEDED: the read needed more than max_memory_usage. */
const MEMORY_LIMIT_EXCEEDED = '241';

/** A read stopped at CLICKHOUSE_QUERY_TIMEOUT_SECONDS: 503, and a shorter period will answer. */
export class ReadTimeoutError extends DomainError {
  readonly code = 'query_timeout';
  readonly status = 503;
  readonly retriable = true;
  constructor() {
    super(
      'the query ran longer than the store allows (CLICKHOUSE_QUERY_TIMEOUT_SECONDS) and was stopped; ask for a shorter period or retry later',
    );
  }
}

/** A read stopped at CLICKHOUSE_MAX_MEMORY_BYTES: 503, and a smaller question will answer. */
export class ReadMemoryLimitError extends DomainError {
  readonly code = 'query_memory_limit';
  readonly status = 503;
  readonly retriable = false;
  constructor() {
    super(
      'the query needed more memory than the store allows (CLICKHOUSE_MAX_MEMORY_BYTES) and was stopped; ask for a shorter period or a smaller page',
    );
  }
}

/**
 * Runs a SELECT with bound parameters and returns its rows (JSONEachRow). A read that times out
 * or meets an unreachable store is a 503 the client can act on; other errors are thrown as they
 * came (a bug: 500, without its details).
 */
export async function queryRows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  try {
    const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
    return await result.json<T>();
  } catch (error) {
    if (clickHouseErrorCode(error) === TIMEOUT_EXCEEDED) throw new ReadTimeoutError();
    if (clickHouseErrorCode(error) === MEMORY_LIMIT_EXCEEDED) throw new ReadMemoryLimitError();
    if (isTransientStoreError(error))
      throw new ServiceUnavailableError('the store is not answering; retry later');
    throw error;
  }
}
