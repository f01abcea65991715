import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeDataDir, removeDataDir } from './helpers/embedded-app';
import { request } from './helpers/http';
import { freePort } from './helpers/free-port';

const ROOT = join(__dirname, '..');

/** The README's commands as a user types them: `npm start`, `npm run start:cluster`. */
interface NpmRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
}

function npm(args: string[], env: NodeJS.ProcessEnv): NpmRun {
  // Nothing of the test's own environment that a user would not have: no salt, no broker.
  const inherited = { ...process.env };
  delete inherited.YEARLY_SALT;
  delete inherited.KAFKA_BROKERS;
  // OTLP/gRPC's 4317 is one port; suites running beside this one start apps too.
  inherited.OTLP_GRPC_PORT ??= '0';
  // A process group of its own: a failed test stops npm and everything it started (the cluster's
  // broker and apps), which would otherwise outlive the test and hold its output pipes open.
  const child = spawn('npm', args, {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { child, output: () => output, exited };
}

async function waitFor(what: string, run: NpmRun, check: () => Promise<boolean>, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} not within ${timeoutMs} ms; output:\n${run.output()}`);
}

const answers = async (url: string) => (await request(`${url}/health`)).status === 200;

/** True once nothing answers on the port any more (the server is gone, not orphaned). */
async function stopsAnswering(url: string): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!(await answers(url).catch(() => false))) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Stops a process group: SIGTERM (the cluster stops its broker), then SIGKILL what is left. */
async function stopGroup(pid: number): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  for (let waited = 0; waited < 15_000; waited += 250) {
    if (!signal(0)) return; // 0: is any of the group still there?
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  signal('SIGKILL');
}

describe('the README commands, run as a user runs them', () => {
  let dataDir: string;
  let run: NpmRun | undefined;

  beforeEach(() => {
    dataDir = makeDataDir('th-npm-');
  });

  afterEach(async () => {
    if (run?.child.pid !== undefined) await stopGroup(run.child.pid);
    run = undefined;
    removeDataDir(dataDir);
  });

  it('npm start: SIGTERM to npm stops the server too, leaving nothing on the port', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    run = npm(['start'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    await waitFor('npm start answering', run, () => answers(url));
    run.child.kill('SIGTERM');
    await run.exited;
    expect(await stopsAnswering(url)).toBe(true);
  }, 120_000);

  it('npm run start:cluster works with nothing set: its own broker, a development salt said loudly', async () => {
    const [gatewayPort, apiPort] = [await freePort(), await freePort()];
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const api = `http://127.0.0.1:${apiPort}`;
    run = npm(['run', 'start:cluster'], {
      DATA_DIR: dataDir,
      PORT: String(gatewayPort),
      API_PORT: String(apiPort),
    });
    await waitFor(
      'the gateway and the api answering',
      run,
      async () => (await answers(gateway)) && answers(api),
    );
    expect(run.output()).toContain('WARNING: YEARLY_SALT is not set: using a development salt');

    const event = { schema: 'jwc.v1', anon: 'cluster-user', evt: 'cluster.check', t: Date.now() };
    expect((await request(`${gateway}/t`, { body: event })).status).toBe(200);
    // A healthy start logs no error or warning line (the broker's warm-up answers are information).
    const logged = run.output().split('\n');
    expect(logged.filter((line) => /"level":"(error|warn)"/.test(line))).toEqual([]);

    run.child.kill('SIGTERM');
    await run.exited;
    expect(await stopsAnswering(gateway)).toBe(true);
    expect(await stopsAnswering(api)).toBe(true);
  }, 180_000);

  it('npm run start:cluster with NODE_ENV=production and no YEARLY_SALT refuses to start, saying why', async () => {
    run = npm(['run', 'start:cluster'], { DATA_DIR: dataDir, NODE_ENV: 'production' });
    const how = await run.exited;
    expect(how).not.toBe(0);
    expect(run.output()).toContain('YEARLY_SALT is not set');
    expect(run.output()).not.toContain('development salt');
  }, 60_000);
});
