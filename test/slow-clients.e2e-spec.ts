import { type Socket, connect } from 'node:net';
import {
  type TestApp,
  makeDataDir,
  removeDataDir,
  spawnEmbedded,
  startTestApp,
} from './helpers/embedded-app';
import { request } from './helpers/http';

/** Opens a raw connection, sends `head` and then nothing; resolves with what the server said and when it closed. */
function trickle(url: string, head: string): Promise<{ answer: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the slow connection open'));
    }, 10_000);
  });
}

/** Issue 8, defect 6: slow-body connections were never closed (requestTimeout was 0). */
describe('slow clients (embedded)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(undefined, {
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_MAX_CONNECTIONS_PER_IP: '8',
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('closes a connection whose body never finishes arriving, with 408', async () => {
    const head =
      'POST /t HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"schema":';
    const { answer, closedAfterMs } = await trickle(app.url, head);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('closes a connection whose headers never finish arriving', async () => {
    const { closedAfterMs } = await trickle(app.url, 'GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('still serves prompt clients', async () => {
    expect((await request(`${app.url}/health`)).status).toBe(200);
  });

  it("closes a client IP's connections past HTTP_MAX_CONNECTIONS_PER_IP on arrival, and serves it again once they close", async () => {
    const { hostname, port } = new URL(app.url);
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => resolve(socket));
        socket.on('error', reject);
      });
    const held = await Promise.all(Array.from({ length: 8 }, open));
    const ninth = await open();
    const closed = await new Promise<boolean>((resolve) => {
      ninth.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 2_000);
    });
    expect(closed).toBe(true);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await request(`${app.url}/health`)).status).toBe(200);
  });
});

/** Issue 8: a graceful stop that cannot finish (a client holds a request open) still ends, in bounded time. */
describe('shutdown', () => {
  it('exits within SHUTDOWN_TIMEOUT_MS of SIGTERM even while a request is still in flight', async () => {
    const dataDir = makeDataDir();
    const app = await spawnEmbedded(dataDir, {
      SHUTDOWN_TIMEOUT_MS: '1500',
      HTTP_REQUEST_TIMEOUT_MS: '60000',
      HTTP_HEADERS_TIMEOUT_MS: '60000',
    });
    const { child } = app;
    const port = new URL(app.url).port;
    try {
      // A request whose body never finishes: a graceful stop would wait for it for a minute.
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'POST /t HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        ),
      );
      socket.on('error', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      expect(Date.now() - signalled).toBeLessThan(6_000);
      expect(code).not.toBeNull();
      socket.destroy();
    } finally {
      child.kill('SIGKILL');
      removeDataDir(dataDir);
    }
  });
});
