import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiKeysService } from '@th/access';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { request } from './helpers/http';

const run = promisify(execFile);
const CLI = join(__dirname, '..', 'dist', 'apps', 'keys', 'src', 'main.js');

/** `npm run keys -- ...` as an operator runs it, against a running hub (the compiled CLI). */
async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run keys (the key CLI)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('generates a key for BOOTSTRAP_ADMIN_KEY without asking the hub', async () => {
    const { code, stdout } = await keys('generate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^thk_[A-Za-z0-9_-]{43}\n$/);
  });

  it('creates the first key keyless on localhost, then needs an admin key; lists and revokes', async () => {
    const created = await keys('create', '--name', 'grafana', '--scope', 'read', '--url', app.url);
    expect(created.code).toBe(0);
    const key = /^(thk_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/grafana {2}\[read\]/);
    expect((await request(`${app.url}/stats`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      200,
    );
    // A read key exists now: the keyless localhost mode is over.
    expect((await request(`${app.url}/stats`)).status).toBe(401);
    const refused = await keys('create', '--name', 'ops', '--scope', 'admin', '--url', app.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs an API key with the admin scope/);

    const admin = (await app.app.get(ApiKeysService).issueAccessKey('operator', ['admin'])).key;
    const listed = await keys('list', '--url', app.url, '--key', admin);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/grafana {2}\[read\]/);
    expect(listed.stdout).not.toContain(key);
    const id = /^(key_\S+) {2}grafana/m.exec(listed.stdout)?.[1];
    const revoked = await keys('revoke', id!, '--url', app.url, '--key', admin);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/revoked/);
    expect((await request(`${app.url}/stats`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );
  });

  it('says what is missing, and where the hub is not', async () => {
    const incomplete = await keys('create', '--name', 'x', '--url', app.url);
    expect(incomplete).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least one --scope/) });
    const unreachable = await keys('list', '--url', 'http://127.0.0.1:9');
    expect(unreachable).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/cannot reach the hub at http:\/\/127.0.0.1:9/),
    });
  });
});
