import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationSources } from '@th/registry';
import { STORE_MIGRATIONS, createClickHouseClient, readAllMigrations, runMigrations } from '@th/store';

/**
 * The Grafana "Developer Telemetry" dashboard (deploy/grafana/dashboards, DevLake's dashboard over
 * the Hub's developer_metrics): every panel's SQL, with the ClickHouse plugin's macros and the
 * dashboard variable replaced as Grafana would, runs on chDB against seeded reports and returns rows.
 */

interface Target {
  refId: string;
  rawSql: string;
  editorType: string;
  format: number;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface QueryVariable {
  name: string;
  type: string;
  query: string;
  multi?: boolean;
  includeAll?: boolean;
}

const dashboard = JSON.parse(
  readFileSync(join(__dirname, '..', 'deploy', 'grafana', 'dashboards', 'developer-telemetry.json'), 'utf8'),
) as { uid: string; panels: Panel[]; templating: { list: QueryVariable[] } };
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const connectionVariable = dashboard.templating.list.find((v) => v.name === 'connection_id');

/** The panel time range and the values chosen for the dashboard variables. */
interface Selection {
  from: Date;
  to: Date;
  /** `all`, or the connection ids picked in the multi-value `connection_id` variable. */
  connections: 'all' | number[];
}

/**
 * A panel's SQL as the ClickHouse plugin sends it: `$__conditionalAll(cond, $var)` becomes `1=1`
 * when All is picked (else cond), `$__dateFilter(col)` / `$__timeFilter(col)` the plugin's range
 * expressions, and `${connection_id:csv}` / `${connection_id}` / `$connection_id` the picked ids
 * (All expands to every option, the plugin's default format quotes each value). Throws on any macro
 * or variable it does not know, so a panel cannot pass with something left unreplaced.
 */
function interpolate(sql: string, selection: Selection, allConnectionIds: readonly number[]): string {
  const isAll = selection.connections === 'all';
  const ids = selection.connections === 'all' ? allConnectionIds : selection.connections;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

  let out = sql;
  const macro = '$__conditionalAll(';
  for (let start = out.indexOf(macro); start !== -1; start = out.indexOf(macro)) {
    let depth = 1;
    let comma = -1;
    let end = start + macro.length;
    for (; end < out.length && depth > 0; end++) {
      if (out[end] === '(') depth++;
      else if (out[end] === ')') depth--;
      else if (out[end] === ',' && depth === 1) comma = end;
    }
    const variable = comma === -1 ? null : /^\s*\$\{?(\w+)\}?\s*$/.exec(out.slice(comma + 1, end - 1));
    if (depth !== 0 || variable === null) throw new Error(`malformed $__conditionalAll in:\n${sql}`);
    if (variable[1] !== 'connection_id') throw new Error(`unknown variable $${variable[1]} in:\n${sql}`);
    out = out.slice(0, start) + (isAll ? '1=1' : out.slice(start + macro.length, comma)) + out.slice(end);
  }
  out = out
    .replace(
      /\$__dateFilter\((\w+)\)/g,
      (_, col: string) =>
        `${col} >= toDate('${day(selection.from)}') AND ${col} <= toDate('${day(selection.to)}')`,
    )
    .replace(
      /\$__timeFilter\((\w+)\)/g,
      (_, col: string) =>
        `${col} >= toDateTime(${seconds(selection.from)}) AND ${col} <= toDateTime(${seconds(selection.to)})`,
    )
    .replace(/\$\{connection_id:csv\}/g, ids.join(','))
    .replace(/\$\{connection_id\}|\$connection_id\b/g, ids.map((id) => `'${id}'`).join(','));
  if (out.includes('$')) throw new Error(`unreplaced macro or variable left in:\n${out}`);
  return out;
}

/** The Hub's developer_metrics row, as the projector writes it (64-bit integers as JSON numbers). */
interface MetricsRow {
  connection_id: number;
  developer_id: string;
  date: string;
  email: string;
  name: string;
  hostname: string;
  active_hours: number;
  tools_used: string[];
  project_context: string[];
  command_counts: Record<string, number>;
  os_info: string;
  received_at: string;
  version: number;
  has_git_activity: number;
  total_commits: number;
  total_lines_added: number;
  total_lines_deleted: number;
  total_files_changed: number;
  repositories: {
    name: string;
    path: string;
    commits: number;
    lines_added: number;
    lines_deleted: number;
    files_changed: number;
    branches_worked: string[];
  }[];
  has_development_activity: number;
  test_runs_detected: number;
  build_commands_detected: number;
}

let nextVersion = 1;
function report(
  connectionId: number,
  developer: string,
  date: string,
  activeHours: number,
  git?: { commits: number; added: number; deleted: number; files: number; repo: string },
  dev?: { tests: number; builds: number },
): MetricsRow {
  return {
    connection_id: connectionId,
    developer_id: developer,
    date,
    email: `${developer}@example.com`,
    name: developer[0].toUpperCase() + developer.slice(1),
    hostname: `${developer}-laptop`,
    active_hours: activeHours,
    tools_used: ['vscode', 'git'],
    project_context: git ? [git.repo] : [],
    command_counts: { git: git?.commits ?? 0, npm: dev?.builds ?? 0 },
    os_info: 'Linux 6.8',
    received_at: `${date} 18:00:00.000`,
    version: nextVersion++,
    has_git_activity: git ? 1 : 0,
    total_commits: git?.commits ?? 0,
    total_lines_added: git?.added ?? 0,
    total_lines_deleted: git?.deleted ?? 0,
    total_files_changed: git?.files ?? 0,
    repositories: git
      ? [
          {
            name: git.repo,
            path: `/home/${developer}/src/${git.repo}`,
            commits: git.commits,
            lines_added: git.added,
            lines_deleted: git.deleted,
            files_changed: git.files,
            branches_worked: ['main', `feature/${developer}`],
          },
        ]
      : [],
    has_development_activity: dev ? 1 : 0,
    test_runs_detected: dev?.tests ?? 0,
    build_commands_detected: dev?.builds ?? 0,
  };
}

const repo = (commits: number, added: number, deleted: number, name = 'telemetry-hub') => ({
  commits,
  added,
  deleted,
  files: commits * 2,
  repo: name,
});

/** First reports, one insert; then one day resent with more work (a higher version, its own insert). */
const firstReports: MetricsRow[] = [
  report(1, 'alice', '2026-03-02', 6.5, repo(4, 120, 30), { tests: 3, builds: 2 }),
  report(1, 'alice', '2026-03-03', 26, repo(2, 40, 10), { tests: 1, builds: 0 }), // double-counted day
  report(1, 'bob', '2026-03-02', 2, repo(1, 10, 0)),
  report(1, 'bob', '2026-03-04', 4),
  report(1, 'carol', '2026-03-07', 3.25, repo(3, 300, 120, 'docs')),
  report(2, 'dave', '2026-03-05', 7.75, repo(1, 5, 5), { tests: 6, builds: 4 }),
  report(2, 'dave', '2025-12-30', 8, repo(9, 900, 900), { tests: 9, builds: 9 }), // outside the range
];
const resent = report(1, 'bob', '2026-03-02', 5, repo(5, 80, 20), { tests: 2, builds: 1 });

/** What FINAL keeps: the highest version per (connection, developer, day). */
const latest = [
  ...firstReports.filter((r) => !(r.developer_id === 'bob' && r.date === '2026-03-02')),
  resent,
];
const inRange = (r: MetricsRow, connections: 'all' | number[]) =>
  r.date >= '2026-01-01' && (connections === 'all' || connections.includes(r.connection_id));

const YEAR_2026 = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-12-31T23:59:59Z') };
const SELECTIONS: Selection[] = [
  { ...YEAR_2026, connections: 'all' },
  { ...YEAR_2026, connections: [1] },
  { ...YEAR_2026, connections: [1, 2] },
];

describe('Grafana dashboard "Developer Telemetry" over developer_metrics (chDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-grafana-'));
  let client: ReturnType<typeof createClickHouseClient>;
  let allConnectionIds: number[] = [];

  async function rows(sql: string): Promise<Record<string, unknown>[]> {
    const result = await client.query({ query: sql, format: 'JSONEachRow' });
    return result.json<Record<string, unknown>>();
  }

  /** The rows of a panel's (only) query for a selection. */
  async function panelRows(title: string, selection: Selection): Promise<Record<string, unknown>[]> {
    const panel = panels.find((p) => p.title === title);
    if (!panel?.targets) throw new Error(`no panel titled ${title}`);
    return rows(interpolate(panel.targets[0].rawSql, selection, allConnectionIds));
  }

  beforeAll(async () => {
    client = createClickHouseClient({ kind: 'embedded', path: join(dir, 'db') });
    await runMigrations(client, await readAllMigrations([STORE_MIGRATIONS, ...migrationSources()]));
    await client.insert({
      table: 'developer_telemetry_connections',
      values: [{ id: 1, name: 'Platform team', created_at: '2026-01-05 09:00:00', version: 1 }],
      format: 'JSONEachRow',
    });
    await client.insert({ table: 'developer_metrics', values: firstReports, format: 'JSONEachRow' });
    await client.insert({ table: 'developer_metrics', values: [resent], format: 'JSONEachRow' });

    if (!connectionVariable) throw new Error('the dashboard has no connection_id variable');
    // The plugin takes a variable query's first column as the value, the second as the label.
    allConnectionIds = (await rows(connectionVariable.query)).map((r) => Number(Object.values(r)[0]));
  });

  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the 13 panels of the DevLake dashboard, each titled, on the provisioned ClickHouse source', () => {
    expect(dashboard.uid).toBe('th-developer-telemetry');
    expect(panels).toHaveLength(13);
    for (const panel of panels) {
      expect(panel.title).toEqual(expect.any(String));
      expect(panel.title.trim()).not.toBe('');
      expect(panel.datasource).toEqual({ type: 'grafana-clickhouse-datasource', uid: 'clickhouse' });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target).toMatchObject({ editorType: 'sql', datasource: panel.datasource });
        // A resent report must count once: every read of the table goes through FINAL.
        expect(target.rawSql).not.toMatch(/FROM\s+developer_metrics(?!\s+FINAL\b)/i);
      }
    }
  });

  it('offers every connection with reports in the connection_id variable, labelled by name', async () => {
    expect(connectionVariable).toMatchObject({ type: 'query', multi: true, includeAll: true });
    expect(allConnectionIds).toEqual([1, 2]);
    const labels = (await rows(connectionVariable?.query ?? '')).map((r) => Object.values(r)[1]);
    expect(labels).toEqual(['Platform team (1)', '2']);
  });

  it.each(panels.map((p) => [p.title, p] as const))('panel "%s" returns rows', async (_title, panel) => {
    for (const target of panel.targets ?? []) {
      for (const selection of SELECTIONS) {
        const sql = interpolate(target.rawSql, selection, allConnectionIds);
        expect((await rows(sql)).length).toBeGreaterThan(0);
      }
    }
  });

  it('counts the resent day once, caps a day at 24 hours and keeps to the picked connections', async () => {
    for (const connections of ['all', [1]] as const) {
      const selection: Selection = {
        ...YEAR_2026,
        connections: connections === 'all' ? 'all' : [...connections],
      };
      const expected = latest.filter((r) => inRange(r, selection.connections));
      const total = async (title: string) => Number((await panelRows(title, selection))[0].total);

      expect(await total('Total Commits')).toBe(expected.reduce((s, r) => s + r.total_commits, 0));
      expect(await total('Total Lines Added')).toBe(expected.reduce((s, r) => s + r.total_lines_added, 0));
      expect(await total('Total Active Hours')).toBeCloseTo(
        expected.reduce((s, r) => s + Math.min(r.active_hours, 24), 0),
        6,
      );
      expect(await total('Active Developers')).toBe(new Set(expected.map((r) => r.developer_id)).size);
    }
    // Without FINAL bob's first report of 2026-03-02 (1 commit) would be added to the resent one (5).
    const summary = await panelRows('Developer Productivity Summary', { ...YEAR_2026, connections: [1] });
    expect(summary.find((r) => r.developer_id === 'bob')).toMatchObject({ total_commits: '5' });
  });
});
