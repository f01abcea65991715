import { Agent, request } from 'node:http';
import { percentile } from './load';

/** DevLake collectors posting daily reports the way the real collector does, for one connection. */
export interface DevLakeLoadResult {
  reportsAcknowledged: number;
  failures: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** The collector's report (test/fixtures/devlake-collector-report.json) for one developer and day. */
function reportBody(developer: string, date: string): string {
  return JSON.stringify({
    date,
    developer,
    hostname: `${developer}-macbook-pro`,
    email: `${developer}@example.com`,
    name: developer,
    metrics: {
      active_hours: 7,
      tools_used: ['docker', 'node', 'python', 'vscode'],
      projects: ['backend-api'],
      git_activity: {
        total_commits: 5,
        total_lines_added: 240,
        total_lines_deleted: 31,
        total_files_changed: 9,
        repositories: [
          {
            name: 'backend-api',
            path: '/Users/dev/work/backend-api',
            commits: 5,
            lines_added: 240,
            lines_deleted: 31,
            files_changed: 9,
            branches_worked: ['feature/login', 'main'],
          },
        ],
      },
      development_activity: { test_runs_detected: 12, build_commands_detected: 4 },
    },
  });
}

function post(agent: Agent, url: URL, body: string, apiKey: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DevLake-Telemetry-Collector/1.0',
          authorization: `Bearer ${apiKey}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Posts reports to `/api/rest/plugins/developer_telemetry/connections/<id>/report` with the
 * connection's API key, each for a new developer and day, so every one must be stored as a row.
 */
export async function runDevLakeLoad(options: {
  url: string;
  connectionId: number;
  apiKey: string;
  runId: string;
  concurrency: number;
  durationMs: number;
}): Promise<DevLakeLoadResult> {
  const url = new URL(
    `/api/rest/plugins/developer_telemetry/connections/${options.connectionId}/report`,
    options.url,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let sent = 0;
  let acknowledged = 0;
  let failures = 0;
  const started = Date.now();
  const deadline = started + options.durationMs;
  const collector = async () => {
    while (Date.now() < deadline) {
      const n = sent++;
      // 1,000 developers a day, going back one day per thousand reports.
      const date = new Date(Date.UTC(2026, 0, 1) - Math.floor(n / 1000) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const body = reportBody(`${options.runId}-dev-${n % 1000}`, date);
      const at = performance.now();
      try {
        const status = await post(agent, url, body, options.apiKey);
        if (status === 200) {
          acknowledged++;
          latencies.push(performance.now() - at);
        } else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => collector()));
  agent.destroy();
  return {
    reportsAcknowledged: acknowledged,
    failures,
    elapsedMs: Date.now() - started,
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
  };
}
