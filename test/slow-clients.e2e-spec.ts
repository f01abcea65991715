import { connect } from 'node:net';
import { type TestApp, startTestApp } from './helpers/embedded-app';
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
    app = await startTestApp(undefined, { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '1000' });
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
});
