import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { ApiKeysService } from '@th/access';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const ARTIFACTS = join(__dirname, 'artifacts');
const DAY_MS = 86_400_000;
/** Debian's Chromium, installed by the e2e global setup when missing (scripts/ensure-chromium.js). */
const CHROMIUM = '/usr/bin/chromium';
/** The dashboard's default range: the last 30 days, today included. */
const window30 = () => ({
  from: new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10),
  to: new Date().toISOString().slice(0, 10),
});

/** Each fixture of the five inputs, moved to now (the dashboard shows the last 30 days). */
async function seed(url: string): Promise<void> {
  const now = Date.now();
  // App usage (jwc.v1): the sample batch, its events in the last hours.
  const batch = fixture('jwc-batch.json');
  batch.batch = batch.batch.map((event: any, i: number) => ({ ...event, t: now - (i + 1) * 3_600_000 }));
  expect((await request(`${url}/t`, { body: batch })).status).toBe(200);
  // Developer reports (DevLake): a connection, then the collector's report for yesterday.
  const connection = await request(`${url}/plugins/developer_telemetry/connections`, {
    body: { name: 'platform' },
  });
  const report = {
    ...fixture('devlake-report.json'),
    date: new Date(now - DAY_MS).toISOString().slice(0, 10),
  };
  const reported = await request(
    `${url}/plugins/developer_telemetry/connections/${connection.body.id}/report`,
    {
      body: report,
    },
  );
  expect(reported.status).toBe(200);
  // PR traces: the nested sample.
  expect((await request(`${url}/ingest`, { body: fixture('pr-trace-batch.json') })).status).toBeLessThan(300);
  // OpenTelemetry: the processor's sample, its spans moved to an hour ago.
  const spans = fixture('otlp-rhesis-spans.json');
  const first = BigInt(spans.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano);
  const shift = BigInt(now - 3_600_000) * 1_000_000n - first;
  for (const resource of spans.resourceSpans)
    for (const scope of resource.scopeSpans)
      for (const span of scope.spans) {
        span.startTimeUnixNano = String(BigInt(span.startTimeUnixNano) + shift);
        span.endTimeUnixNano = String(BigInt(span.endTimeUnixNano) + shift);
      }
  expect((await request(`${url}/v1/traces`, { body: spans })).status).toBe(200);
  // Code scanning: run 15 and its successor, run 16.
  expect((await request(`${url}/api/runs`, { body: fixture('codescan-run.json') })).status).toBe(200);
  expect((await request(`${url}/api/runs`, { body: fixture('codescan-run-16.json') })).status).toBe(200);
}

/**
 * Issue 15: the dashboard in a real browser (Debian's Chromium, driven by playwright-core). Data
 * enters through the public ingestion routes; every page opens without a console error or a failed
 * request, shows the numbers GraphQL answers, and links through to its details; the time range
 * lives in the URL and survives a reload. A screenshot of each page goes to test/artifacts/.
 */
describe('web dashboard (embedded, Chromium)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(dataDir);
    await seed(app.url);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (req) => {
      // A navigation cancels what the page had in flight (ERR_ABORTED): not a failure of the page.
      if (req.failure()?.errorText !== 'net::ERR_ABORTED')
        problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    removeDataDir(dataDir);
  });

  afterEach(() => {
    // Every test fails on a console error or a failed request of its own.
    const seen = problems.splice(0);
    expect(seen).toEqual([]);
  });

  const open = async (path: string, shot: string) => {
    await page.goto(`${app.url}${path}`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
  };
  /** The text of a figure once it has loaded. */
  const figure = async (testId: string) => {
    const locator = page.getByTestId(testId);
    await locator.waitFor();
    return (await locator.textContent())?.trim();
  };
  const shown = (n: number, unit = '') => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}${unit}`;

  it('sends / to the dashboard and serves its assets for good', async () => {
    const home = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/dashboard/');
    const index = await fetch(`${app.url}/dashboard/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    // Nothing from elsewhere, no framing: a policy violation would also fail the page tests below.
    expect(index.headers.get('content-security-policy')).toMatch(
      /default-src 'self'.*frame-ancestors 'none'/,
    );
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(await index.text())![1];
    const asset = await fetch(`${app.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${app.url}/dashboard/assets/missing-0000.js`)).status).toBe(404);
  });

  it('shows every input on the overview, as GraphQL counts them', async () => {
    await open('/dashboard/', 'overview');
    const { from, to } = window30();
    const answer = await graphql(
      app.url,
      `{ appStats(from: "${from}", to: "${to}") { total }
         developerMetrics(from: "${from}", to: "${to}") { totalCount }
         prTraces(from: "${from}T00:00:00.000Z", to: "${to}T23:59:59.999Z") { totalCount }
         traces(from: "${from}", to: "${to}") { totalCount }
         scanRuns { totalCount } }`,
    );
    expect(answer.errors).toBeUndefined();
    const d = answer.data;
    expect(d.appStats.total).toBe(3);
    expect(await figure('stat-app-events')).toBe(shown(d.appStats.total));
    expect(await figure('stat-developer-reports')).toBe(shown(d.developerMetrics.totalCount));
    expect(await figure('stat-pr-traces')).toBe(shown(d.prTraces.totalCount));
    expect(await figure('stat-otel-traces')).toBe(shown(d.traces.totalCount));
    expect(await figure('stat-scan-runs')).toBe(shown(d.scanRuns.totalCount));
    for (const total of [d.developerMetrics, d.prTraces, d.traces, d.scanRuns])
      expect(total.totalCount).toBeGreaterThan(0);
    expect(await figure('stat-dead-letters')).toBe('0');
    expect(await page.getByTestId('table-last-events').locator('tbody tr').count()).toBe(5);
    // The chart is drawn (a canvas with a size), not an empty box.
    const canvas = page.getByRole('img', { name: 'Events per input per day' }).locator('canvas');
    await canvas.waitFor();
    expect((await canvas.boundingBox())?.height).toBeGreaterThan(100);
  });

  it('shows app usage as the stats answer it', async () => {
    await open('/dashboard/app-usage', 'app-usage');
    const { from, to } = window30();
    const stats = (
      await graphql(
        app.url,
        `{ appStats(from: "${from}", to: "${to}") { total uniques performance { evt count } } }`,
      )
    ).data.appStats;
    expect(await figure('stat-app-total')).toBe(shown(stats.total));
    expect(await figure('stat-app-uniques')).toBe(shown(stats.uniques));
    const rows = page.getByTestId('table-performance').locator('tbody tr');
    expect(await rows.count()).toBe(stats.performance.length);
  });

  it('shows developers and their reports', async () => {
    await open('/dashboard/developers', 'developers');
    expect(await figure('stat-daily-reports')).toBe('1');
    expect(await figure('stat-developers')).toBe('1');
    expect(await page.getByTestId('table-developers').locator('tbody tr').count()).toBe(1);
  });

  it('lists PR traces and replays one as a timeline in seq order', async () => {
    await open('/dashboard/pr-traces', 'pr-traces');
    const list = page.getByTestId('table-pr-traces');
    await list.waitFor();
    await page.getByTestId('trace-search').fill('payments');
    await list.locator('tbody a').first().click();
    const timeline = page.getByTestId('trace-timeline');
    await timeline.waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(ARTIFACTS, 'pr-trace.png'), fullPage: true });
    const traceId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const trace = (
      await graphql(app.url, `{ prTrace(traceId: "${traceId}") { eventCount events { seq type } } }`)
    ).data.prTrace;
    const seqs = await timeline
      .locator('li')
      .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual(trace.events.map((e: any) => e.seq).sort((a: number, b: number) => a - b));
    expect(await figure('stat-trace-events')).toBe(shown(trace.eventCount));
    // The failing command is red, the passing test green.
    expect(await timeline.locator('li.command.fail').count()).toBe(1);
    expect(await timeline.locator('li.test.pass').count()).toBe(1);
  });

  it('shows services and draws a trace as a span tree', async () => {
    await open('/dashboard/services', 'services');
    const table = page.getByTestId('table-traces');
    await table.waitFor();
    await table.locator('tbody a').first().click();
    const tree = page.getByTestId('span-tree');
    await tree.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'span-tree.png'), fullPage: true });
    const traceId = new URL(page.url()).pathname.split('/').pop()!;
    const trace = (await graphql(app.url, `{ trace(traceId: "${traceId}") { spanCount } }`)).data.trace;
    expect(await tree.locator('li').count()).toBe(trace.spanCount);
    expect(await figure('stat-spans')).toBe(shown(trace.spanCount));
  });

  it('shows code scanning, and a repo at its stable URL with new, recurring and fixed findings', async () => {
    await open('/dashboard/code-scanning', 'code-scanning');
    const stats = (await graphql(app.url, '{ scanStats { totalRuns reposScanned fixRate } }')).data.scanStats;
    expect(await figure('stat-scan-runs')).toBe(shown(stats.totalRuns));
    expect(await figure('stat-scan-repos')).toBe(shown(stats.reposScanned));
    await page.getByTestId('table-repos').locator('tbody a').first().click();
    await page.getByTestId('table-issues').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/code-scanning/repos/acme/payments');
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(ARTIFACTS, 'code-scanning-repo.png'), fullPage: true });
    const count = async (status: string) =>
      (await graphql(app.url, `{ scanIssues(repo: "acme/payments", status: "${status}") { totalCount } }`))
        .data.scanIssues.totalCount;
    expect(await figure('stat-repo-fixed')).toBe(shown(await count('fixed')));
    expect(await figure('stat-repo-new')).toBe(shown(await count('new')));
    expect(await figure('stat-repo-recurring')).toBe(shown(await count('recurring')));
    expect(await count('fixed')).toBeGreaterThan(0);
  });

  it('shows a refused action (no GitHub credentials) as an error in the page', async () => {
    await open('/dashboard/code-scanning', 'code-scanning-actions');
    // 400 naming the missing settings: expected here, so not one of this test's problems.
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/refresh'));
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/GITHUB_TOKEN/);
    problems.splice(0);
  });

  it('keeps the time range in the URL across pages and a reload', async () => {
    await open('/dashboard/app-usage', 'app-usage-range');
    await page.getByTestId('range').selectOption('7d');
    await page.waitForURL(/range=7d/);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.waitForURL(/\/dashboard\/services\?range=7d/);
    await page.reload();
    expect(await page.getByTestId('range').inputValue()).toBe('7d');
    // A custom range from a deep link: the app-usage figures follow it (nothing that long ago).
    await page.goto(`${app.url}/dashboard/app-usage?from=2020-01-01&to=2020-01-31`);
    expect(await figure('stat-app-total')).toBe('0');
  });

  it('fits a phone and is reachable by keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('/dashboard/', 'overview-phone');
    await page.getByTestId('stat-app-events').waitFor();
    // Evaluated in the page (the browser's globals, not this file's).
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  // Last: once a read key exists, keyless reads stop for the rest of this app's life.
  it('asks for a read key once the hub has one, and shows the figures with it', async () => {
    const { key } = await app.app.get(ApiKeysService).issueAccessKey('analyst', ['read']);
    await page.goto(`${app.url}/dashboard/`);
    const signIn = page.getByRole('region', { name: 'Sign in' });
    await signIn.waitFor();
    expect(await signIn.textContent()).toMatch(/needs an API key with the read scope/);
    // The refusals that brought the form up are the expected ones; nothing else went wrong.
    expect(problems.splice(0).filter((p) => !/^HTTP 401: .*\/graphql$/.test(p))).toEqual([]);
    await signIn.getByLabel('API key with the read scope').fill(key);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    expect(await figure('stat-app-events')).toBe('3');
    expect(await page.getByRole('region', { name: 'Sign in' }).count()).toBe(0);
    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate('localStorage.length')).toBe(0);
  });
});
