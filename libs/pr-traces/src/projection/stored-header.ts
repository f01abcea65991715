import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '@th/store';
import type { TraceHeader } from '../contract/trace-batch.schema';

/**
 * The `pr_traces` row, both ways: what the projection writes for a merged header, and the header
 * as stored, which the projection merges into and the reads answer with. Empty strings in the
 * table are "never sent" (null) here.
 */
export interface StoredHeader extends TraceHeader {
  traceId: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
  version: number;
}

/** The columns of {@link HeaderRow}: times as Unix ms, read the same way everywhere. */
export const HEADER_COLUMNS = `trace_id, pr_id, repo_name, branch, languages, title, status,
  toUnixTimestamp64Milli(pr_created_at) AS created_ms, toUnixTimestamp64Milli(pr_merged_at) AS merged_ms,
  developer_hash, ide_version, os,
  toUnixTimestamp64Milli(first_received_at) AS first_ms, toUnixTimestamp64Milli(last_received_at) AS last_ms,
  version`;

export interface HeaderRow {
  trace_id: string;
  pr_id: string;
  repo_name: string;
  branch: string;
  languages: string[];
  title: string;
  status: string;
  created_ms: string | null;
  merged_ms: string | null;
  developer_hash: string;
  ide_version: string;
  os: string;
  first_ms: string;
  last_ms: string;
  version: string;
}

/** The stored headers of these traces (latest version each). */
export async function readHeaders(
  client: ClickHouseClient,
  traceIds: readonly string[],
): Promise<StoredHeader[]> {
  const rows = await queryRows<HeaderRow>(
    client,
    `SELECT ${HEADER_COLUMNS} FROM pr_traces FINAL WHERE trace_id IN {traces:Array(String)}`,
    { traces: traceIds },
  );
  return rows.map(storedHeaderOf);
}

export function storedHeaderOf(row: HeaderRow): StoredHeader {
  const orNull = (text: string) => (text === '' ? null : text);
  const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    traceId: row.trace_id,
    prId: row.pr_id,
    repoName: row.repo_name,
    branch: row.branch,
    languages: row.languages.length > 0 ? row.languages : null,
    title: orNull(row.title),
    status: row.status as TraceHeader['status'],
    prCreatedAt: iso(row.created_ms),
    prMergedAt: iso(row.merged_ms),
    developerHash: orNull(row.developer_hash),
    ideVersion: orNull(row.ide_version),
    os: orNull(row.os),
    firstReceivedAt: iso(row.first_ms)!,
    lastReceivedAt: iso(row.last_ms)!,
    version: Number(row.version),
  };
}

/** The row the projection writes for a merged header. */
export function headerTableRow(header: StoredHeader): Record<string, unknown> {
  return {
    trace_id: header.traceId,
    pr_id: header.prId,
    repo_name: header.repoName,
    branch: header.branch,
    languages: header.languages ?? [],
    title: header.title ?? '',
    status: header.status ?? 'open',
    pr_created_at: header.prCreatedAt,
    pr_merged_at: header.prMergedAt,
    developer_hash: header.developerHash ?? '',
    ide_version: header.ideVersion ?? '',
    os: header.os ?? '',
    first_received_at: header.firstReceivedAt,
    last_received_at: header.lastReceivedAt,
    version: header.version,
  };
}
