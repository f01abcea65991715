import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedProcess, makeDataDir, removeDataDir, spawnEmbedded } from './helpers/embedded-app';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** Every fenced `sh` block of the README, with the line it starts on. */
const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((match) => ({
  line: readme.slice(0, match.index).split('\n').length,
  code: match[1],
}));

/** Blocks that talk to a running hub: executed here, in README order, against one started app. */
const httpBlocks = blocks.filter((block) => block.code.includes('curl '));

/**
 * The npm commands the other blocks give, and the test that runs each: a block of commands is
 * checked to name only these, so a command added to the README must be added here, with its test.
 */
const NPM_COMMANDS_RUN_ELSEWHERE: Record<string, string> = {
  'npm ci': '.ci/run (a clean clone: npm ci, then lint, typecheck and npm test)',
  'npm test': '.ci/run',
  'npm start': 'test/npm-scripts.e2e-spec.ts',
  'npm run start:cluster': 'test/npm-scripts.e2e-spec.ts',
  'npm run build': 'every suite that spawns the compiled apps (they build first)',
  'npm run lint': '.ci/run',
  'npm run typecheck': '.ci/run',
  'npm run test:unit': '.ci/run (npm test runs both projects)',
  'npm run test:e2e': '.ci/run (npm test runs both projects)',
  'npm run schema:gql': 'apps/api/src/graphql-schema.spec.ts (the committed schema is current)',
};

/**
 * curl as the README uses it, failing the example on an HTTP error or a GraphQL error: an example
 * that stops working fails CI instead of misleading a reader.
 */
const CHECKED_CURL = `
set -euo pipefail
curl() {
  local out code
  out=$(command curl --show-error --write-out '\\n%{http_code}' "$@") || return 1
  code=\${out##*$'\\n'}
  out=\${out%$'\\n'*}
  printf '%s\\n' "$out"
  if [ "$code" -ge 400 ]; then echo "HTTP $code from: curl $*" >&2; return 1; fi
  case "$out" in *'"errors":['*) echo "GraphQL errors from: curl $*" >&2; return 1;; esac
}
`;

describe('README shell examples', () => {
  it('has examples of both kinds', () => {
    expect(httpBlocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks.length).toBeGreaterThan(httpBlocks.length);
  });

  it.each(blocks.filter((block) => !httpBlocks.includes(block)))(
    'names only npm commands that exist and that a test runs (README.md line $line)',
    ({ code }) => {
      const commands = code
        .split('\n')
        .flatMap((line) => line.replace(/#.*$/, '').split('&&'))
        .map((command) => command.trim())
        .filter(Boolean);
      for (const command of commands) {
        expect({ command, runBy: NPM_COMMANDS_RUN_ELSEWHERE[command] }).toEqual({
          command,
          runBy: expect.any(String),
        });
        const script = /^npm (?:run (\S+)|(start|test))$/.exec(command);
        if (script) expect(Object.keys(scripts)).toContain(script[1] ?? script[2]);
      }
    },
  );

  describe('against a started app, in README order', () => {
    const dataDir = makeDataDir('th-readme-');
    const workDir = mkdtempSync(join(tmpdir(), 'th-readme-work-'));
    let app: EmbeddedProcess;

    beforeAll(async () => {
      app = await spawnEmbedded(dataDir, { RATE_LIMIT_MAX: '0' });
      // The examples read the repository's fixtures and write their own files where they run.
      symlinkSync(join(ROOT, 'test'), join(workDir, 'test'));
    });

    afterAll(async () => {
      await app?.stop();
      removeDataDir(dataDir);
      rmSync(workDir, { recursive: true, force: true });
    });

    it.each(httpBlocks)(
      'runs every command of the block without an error (README.md line $line)',
      ({ code }) => {
        const host = app.url.replace(/^http:\/\//, '');
        const script = CHECKED_CURL + code.replace(/localhost:8080/g, host);
        const run = spawnSync('bash', ['-c', script], { cwd: workDir, encoding: 'utf8', timeout: 60_000 });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      },
    );
  });
});
