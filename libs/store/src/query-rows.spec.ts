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
