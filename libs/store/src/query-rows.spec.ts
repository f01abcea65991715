import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { toHttpErrorResponse } from '@th/platform';
import { createClickHouseClient } from './clickhouse-client.factory';
import { queryRows } from './query-rows';

describe('queryRows on chDB with a 1 s query timeout', () => {
  let dir: string;
  let client: ClickHouseClient;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-query-rows-'));
    client = createClickHouseClient({ kind: 'embedded', path: join(dir, 'db') }, { queryTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the rows of a read within the limit', async () => {
    expect(await queryRows<{ n: number }>(client, 'SELECT {n:UInt8} AS n', { n: 7 })).toEqual([{ n: 7 }]);
  });

  it('stops a read past the limit and answers 503 query_timeout, saying what to do', async () => {
    const started = Date.now();
    const slow = 'SELECT sleepEachRow(0.5) FROM numbers(10) SETTINGS max_block_size = 1';
    const error: unknown = await queryRows(client, slow).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(toHttpErrorResponse(error)).toMatchObject({
      status: 503,
      body: { error: 'query_timeout', message: expect.stringContaining('ask for a shorter period') },
    });
  });
});

describe('queryRows on chDB with a 32 MiB memory limit', () => {
  let dir: string;
  let client: ClickHouseClient;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-query-memory-'));
    client = createClickHouseClient(
      { kind: 'embedded', path: join(dir, 'db') },
      { queryTimeoutSeconds: 30, maxMemoryBytes: 32 * 1024 * 1024 },
    );
  });

  afterAll(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops a read that needs more and answers 503 query_memory_limit, naming the setting', async () => {
    const greedy = 'SELECT length(groupArray(toString(number))) AS n FROM numbers(20000000)';
    const error: unknown = await queryRows(client, greedy).catch((e: unknown) => e);
    expect(toHttpErrorResponse(error)).toMatchObject({
      status: 503,
      body: { error: 'query_memory_limit', message: expect.stringContaining('CLICKHOUSE_MAX_MEMORY_BYTES') },
    });
    // A read within the limit still answers on the same client.
    expect(await queryRows<{ n: string }>(client, 'SELECT count() AS n FROM numbers(1000)')).toEqual([
      { n: '1000' },
    ]);
  });
});
