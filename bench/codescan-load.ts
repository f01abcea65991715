import { createHash } from 'node:crypto';
import { percentile } from './load';

/**
 * Code-scanning run files as the action writes them, for `POST /api/runs`: `repos` target repos,
 * each scanned `runsPerRepo` times, `findings` findings a run drawn from a pool of 1.5× that per
 * repo, so findings come, stay, go and come back (every status occurs).
 */
export interface CodescanPlan {
  repos: number;
  runsPerRepo: number;
  findings: number;
}

const RULES = ['py/sql-injection', 'js/xss', 'py/clear-text-logging', 'java/path-injection', 'go/ssrf'];
const TIERS = ['critical', 'high', 'medium', 'low'];
const FAMILIES = ['injection', 'xss', 'logging', 'path', 'ssrf'];

/** 0..n-1 from a hash of the parts: the same plan gives the same files on every run. */
function pick(n: number, ...parts: (string | number)[]): number {
  return createHash('sha1').update(parts.join('|')).digest().readUInt32BE(0) % n;
}

export function repoName(repo: number): string {
  return `bench-org/service-${repo}`;
}

/** Run `run` (1-based) of repo `repo`: JSON text of the file. */
export function codescanRunFile(plan: CodescanPlan, repo: number, run: number): string {
  const pool = Math.ceil(plan.findings * 1.5);
  // A window of the pool that slides a little each run, plus a few that flicker.
  const start = (run * 3) % pool;
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < plan.findings && i < pool; i++) {
    const candidate = (start + i) % pool;
    if (pick(10, repo, run, candidate) !== 0) chosen.add(candidate);
  }
  const severity: Record<string, number> = {};
  const category: Record<string, number> = {};
  const fingerprints = [...chosen].map((index, position) => {
    const rule = RULES[index % RULES.length];
    const file = `src/module_${index % 37}/file_${index}.py`;
    const line = 10 + ((index * 7) % 400);
    const tier = TIERS[pick(TIERS.length, repo, index)];
    const family = FAMILIES[index % FAMILIES.length];
    severity[tier] = (severity[tier] ?? 0) + 1;
    category[family] = (category[family] ?? 0) + 1;
    return {
      id: `CQLF-R${run}-${String(position + 1).padStart(4, '0')}`,
      fingerprint: createHash('sha256').update(`${rule}|${file}|${line}`).digest('hex').slice(0, 16),
      rule_id: rule,
      severity_tier: tier,
      cwe_family: family,
      file,
      start_line: line,
    };
  });
  const day = new Date(Date.UTC(2026, 0, 1) + run * 3_600_000 + repo * 1000);
  const stamp = day.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const name = repoName(repo);
  return JSON.stringify({
    target_repo: `https://github.com/${name}`,
    fork_url: `https://github.com/bench-bot/${name.split('/')[1]}`,
    run_number: run,
    run_label: `run-${run}-${stamp.slice(0, 10)}`,
    timestamp: stamp,
    issues_found: fingerprints.length,
    severity_breakdown: severity,
    category_breakdown: category,
    batches_created: 2,
    sessions: [1, 2].map((batch) => ({
      session_id: `devin-${createHash('sha1').update(`${repo}/${run}/${batch}`).digest('hex').slice(0, 12)}`,
      session_url: `https://app.devin.ai/sessions/${repo}-${run}-${batch}`,
      batch_id: batch,
      status: 'created',
      issue_ids: fingerprints.filter((_, i) => i % 2 === batch - 1).map((f) => f.id),
    })),
    issue_fingerprints: fingerprints,
  });
}

export interface CodescanLoadResult {
  runs: number;
  seconds: number;
  runsPerSec: number;
  findingsPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  failures: number;
}

/**
 * Posts every run of the plan, `concurrency` at a time, in run order across repos (as the action
 * would over time); answers only count when 200.
 */
export async function runCodescanLoad(
  url: string,
  plan: CodescanPlan,
  concurrency: number,
): Promise<CodescanLoadResult> {
  const jobs: [number, number][] = [];
  for (let run = 1; run <= plan.runsPerRepo; run++)
    for (let repo = 0; repo < plan.repos; repo++) jobs.push([repo, run]);
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const [repo, run] = jobs[next++];
      const body = codescanRunFile(plan, repo, run);
      const sent = performance.now();
      const response = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      if (response.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    runs: jobs.length,
    seconds: Number(seconds.toFixed(1)),
    runsPerSec: Math.round(jobs.length / seconds),
    findingsPerSec: Math.round((jobs.length * plan.findings) / seconds),
    ackP50Ms: Math.round(percentile(latencies, 50)),
    ackP99Ms: Math.round(percentile(latencies, 99)),
    failures,
  };
}
