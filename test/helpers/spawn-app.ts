import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

export interface SpawnedApp {
  child: ChildProcess;
  /** The port the app logged once ready. */
  port: string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Everything it has written so far, stdout and stderr. */
  output(): string;
}

/**
 * A compiled app (`dist/...`, relative to the repository) as its own OS process. Resolves once its
 * output matches `ready`, whose first group is the port; a process that exits first, or is not
 * ready within a minute, fails the start (and is killed) with its output.
 */
export async function spawnApp(entry: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<SpawnedApp> {
  const child = spawn(process.execPath, [join(ROOT, entry)], {
    // OTLP/gRPC off unless a test asks for it: many apps run side by side, 4317 is one port.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OTLP_GRPC_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((how) => {
      // A start that failed fast fails the test now, not when the minute is up.
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${String(how)}):\n${output}`));
    });
  });
  return { child, port, exited, output: () => output };
}
