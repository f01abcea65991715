import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface AppProcess {
  name: string;
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a compiled app and resolves with its URL once it logs that it listens. */
export async function startApp(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  options: { nice?: number } = {},
): Promise<AppProcess> {
  const command = [process.execPath, join(ROOT, 'dist/apps', script)];
  // `nice` execs node in place, so the child's pid is node's (for the RSS reading).
  const [file, ...argv] = options.nice ? ['nice', '-n', String(options.nice), ...command] : command;
  const child = spawn(file, argv, {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
      // The read rows send thousands of queries a minute from one client: they measure the
      // store and the API, not the per-key read limit (3,000 a minute by default).
      READ_RATE_LIMIT_MAX: '0',
      ...env,
      LOG_FORMAT: 'text',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = env.PORT;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 90_000);
    const ping = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => {
          if (r.ok) {
            clearTimeout(timer);
            clearInterval(ping);
            resolve();
          }
        })
        .catch(() => undefined);
    }, 200);
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => {
      clearInterval(ping);
      reject(new Error(`${name} exited (${code}):\n${output}`));
    });
  });
  return {
    name,
    child,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident memory (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
