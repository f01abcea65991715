import { type SecretKind, redactJson, redactText, redactionMarker } from './secret-redactor';

// Fake secrets, assembled here so that no secret scanner flags the repository.
const AWS_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SESSION_KEY = 'ASIA' + 'Y34FZKBOKMUTVV7A';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';
const GITHUB_BODY = 'R4nd0mT0k3nV4lu3' + 'F0rT3st1ngPurp0s3s12';
const GITHUB_PAT =
  'github_' + 'pat_11ABCDEFG0aBcDeFgHiJkL_' + 'mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
const GITLAB = 'glpat-' + 'xY9zW8vU7tS6rQ5pO4nM';
const SLACK_BODY = '123456789012-1234567890123-' + 'AbCdEfGhIjKlMnOpQrStUvWx';
const SLACK_HOOK_PATH = 'T0000' + '0000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0' +
  '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const GOOGLE = 'AIza' + 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
const STRIPE = 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc';
const NPM = 'npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const ANTHROPIC = 'sk-' + 'ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe';
const OPENAI = 'sk-' + 'proj-' + 'Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc';
const PASSWORD = 'Tr0ub4' + 'dor-77x';
const BEARER = 'mF_9.B5f-' + '4.1JqM';

/** A PEM private-key block; the header is split so that the source holds no key marker. */
const pem = (label: string, terminated = true) =>
  ['-----', 'BEGIN ', label, 'PRIVATE KEY-----\n'].join('') +
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n' +
  'QyNTUxOQAAACDfakefakefakefakefakefakefakefakefakefakefakeAAAAJjVGd7/\n' +
  (terminated ? ['-----', 'END ', label, 'PRIVATE KEY-----'].join('') : '');

const marker = redactionMarker;

describe('redactionMarker', () => {
  it('names the kind of secret that was there', () => {
    expect(marker('aws-access-key')).toBe('[REDACTED:aws-access-key]');
  });
});

describe('redactText', () => {
  describe('replaces each kind of secret, leaving nothing of it behind', () => {
    it.each<[string, string, string, SecretKind]>([
      ['AWS access key id', `aws_access_key_id = ${AWS_KEY}`, AWS_KEY, 'aws-access-key'],
      [
        'AWS session key id',
        `export AWS_ACCESS_KEY_ID=${AWS_SESSION_KEY}`,
        AWS_SESSION_KEY,
        'aws-access-key',
      ],
      ['AWS secret key', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET, 'aws-secret-key'],
      ['AWS secret key in CLI JSON', `"SecretAccessKey": "${AWS_SECRET}",`, AWS_SECRET, 'aws-secret-key'],
      [
        'GitHub ghp_ token',
        `git push https://${'ghp_' + GITHUB_BODY}@github.com`,
        GITHUB_BODY,
        'github-token',
      ],
      ['GitHub gho_ token', `gh auth status: ${'gho_' + GITHUB_BODY}`, GITHUB_BODY, 'github-token'],
      ['GitHub ghu_ token', `using ${'ghu_' + GITHUB_BODY}`, GITHUB_BODY, 'github-token'],
      ['GitHub ghs_ token', `x-access-token ${'ghs_' + GITHUB_BODY}`, GITHUB_BODY, 'github-token'],
      ['GitHub ghr_ token', `refresh ${'ghr_' + GITHUB_BODY}`, GITHUB_BODY, 'github-token'],
      ['GitHub fine-grained token', `GH_PAT=${GITHUB_PAT}`, GITHUB_PAT, 'github-token'],
      ['GitLab token', `curl --header "PRIVATE-TOKEN: ${GITLAB}"`, GITLAB, 'gitlab-token'],
      ['Slack bot token', `SLACK=${'xoxb-' + SLACK_BODY}`, SLACK_BODY, 'slack-token'],
      ['Slack user token', `slack token ${'xoxp-' + SLACK_BODY}`, SLACK_BODY, 'slack-token'],
      [
        'Slack webhook',
        `curl -X POST https://hooks.slack.com/services/${SLACK_HOOK_PATH}`,
        SLACK_HOOK_PATH,
        'slack-webhook',
      ],
      ['JWT', `id_token: ${JWT}`, JWT.split('.')[1] ?? '', 'jwt'],
      ['Google API key', `maps?key=${GOOGLE}`, GOOGLE, 'google-api-key'],
      ['Stripe key', `Stripe(${STRIPE})`, STRIPE, 'stripe-key'],
      ['npm token', `//registry.npmjs.org/:_authToken=${NPM}`, NPM, 'npm-token'],
      ['Anthropic key', `key ${ANTHROPIC}`, ANTHROPIC, 'anthropic-key'],
      ['OpenAI key', `key ${OPENAI}`, OPENAI, 'openai-key'],
      ['Authorization: Bearer', `curl -H "Authorization: Bearer ${BEARER}" /api`, BEARER, 'authorization'],
      [
        'Authorization: Basic',
        'Authorization: Basic ' + 'Ym9iOmh1bnRlcjI=',
        'Ym9iOmh1bnRlcjI=',
        'authorization',
      ],
      ['a bare Bearer token', `sent Bearer ${BEARER} to the API`, BEARER, 'authorization'],
      [
        'URL credentials',
        `git clone https://bob:${PASSWORD}@git.example.com/r.git`,
        PASSWORD,
        'url-credentials',
      ],
      ['an env password', `export DB_PASSWORD=${PASSWORD}`, PASSWORD, 'password-assignment'],
      ['a YAML passwd', `passwd: ${PASSWORD}`, PASSWORD, 'password-assignment'],
      ['a secret', `secret=${PASSWORD}`, PASSWORD, 'password-assignment'],
      ['an api_key', `api_key = ${PASSWORD}`, PASSWORD, 'password-assignment'],
      ['a token in a query string', `GET /cb?token=${PASSWORD}&state=1`, PASSWORD, 'password-assignment'],
      ['a JSON-ish password', `{"user": "bob", "password": "${PASSWORD}"}`, PASSWORD, 'password-assignment'],
      ['an escaped JSON password', `{\\"password\\":\\"${PASSWORD}\\"}`, PASSWORD, 'password-assignment'],
      ['a --password= flag', `mysql --password=${PASSWORD} -u root`, PASSWORD, 'password-assignment'],
      ['a --password flag', `psql --password ${PASSWORD} --host db`, PASSWORD, 'password-assignment'],
      ['a private key', `key:\n${pem('OPENSSH ')}\nnext`, 'b3BlbnNzaC1rZXktdjEAAAAABG5v', 'private-key'],
    ])('%s', (_name, text, secret, kind) => {
      const out = redactText(text);
      expect(JSON.stringify(out)).not.toContain(secret);
      expect(out.text).toContain(marker(kind));
      expect(out.redactions).toBe(1);
    });
  });

  it('keeps the key of an assignment visible and replaces only its value', () => {
    expect(redactText(`export DB_PASSWORD=${PASSWORD}`)).toEqual({
      text: `export DB_PASSWORD=${marker('password-assignment')}`,
      redactions: 1,
    });
    expect(redactText(`GET /cb?token=${PASSWORD}&state=1`).text).toBe(
      `GET /cb?token=${marker('password-assignment')}&state=1`,
    );
    expect(redactText(`{"user": "bob", "password": "${PASSWORD}"}`).text).toBe(
      `{"user": "bob", "password": "${marker('password-assignment')}"}`,
    );
    expect(redactText(`psql --password ${PASSWORD} --host db`).text).toBe(
      `psql --password ${marker('password-assignment')} --host db`,
    );
  });

  it('keeps the scheme, user and host of a URL and the scheme of an Authorization header', () => {
    expect(redactText(`git clone https://bob:${PASSWORD}@git.example.com/r.git`).text).toBe(
      `git clone https://bob:${marker('url-credentials')}@git.example.com/r.git`,
    );
    expect(redactText(`Authorization: Bearer ${BEARER}`).text).toBe(
      `Authorization: Bearer ${marker('authorization')}`,
    );
  });

  it('names a token used as URL user or password once, by its own kind', () => {
    const token = 'ghs_' + GITHUB_BODY;
    expect(redactText(`https://x-access-token:${token}@github.com/o/r`)).toEqual({
      text: `https://x-access-token:${marker('github-token')}@github.com/o/r`,
      redactions: 1,
    });
    expect(redactText(`https://${token}:x-oauth-basic@github.com/o/r`)).toEqual({
      text: `https://${marker('github-token')}:x-oauth-basic@github.com/o/r`,
      redactions: 1,
    });
  });

  it('redacts RSA, EC and OPENSSH key blocks with the text around them kept', () => {
    for (const label of ['RSA ', 'EC ', 'OPENSSH ', '']) {
      expect(redactText(`before\n${pem(label)}\nafter`)).toEqual({
        text: `before\n${marker('private-key')}\nafter`,
        redactions: 1,
      });
    }
  });

  it('redacts an unterminated key block to the end of the text', () => {
    expect(redactText(`stdout: ${pem('RSA ', false)}AAAA`)).toEqual({
      text: `stdout: ${marker('private-key')}`,
      redactions: 1,
    });
  });

  it('counts every secret of a text', () => {
    const text = [
      `AWS_ACCESS_KEY_ID=${AWS_KEY}`,
      `GITHUB_TOKEN=${'ghp_' + GITHUB_BODY}`,
      `DB_PASSWORD=${PASSWORD}`,
      `curl -H "Authorization: Bearer ${JWT}"`,
      pem('EC '),
    ].join('\n');
    const out = redactText(text);
    expect(out.redactions).toBe(5);
    for (const secret of [AWS_KEY, GITHUB_BODY, PASSWORD, JWT, 'b3BlbnNzaC1rZXktdjEAAAAABG5v']) {
      expect(out.text).not.toContain(secret);
    }
  });

  it('leaves redacted text alone when scanned again', () => {
    const once = redactText(
      `token=${PASSWORD} ${AWS_KEY} https://u:${PASSWORD}@h Bearer ${BEARER} ${pem('RSA ')}`,
    );
    expect(once.redactions).toBe(5);
    expect(redactText(once.text)).toEqual({ text: once.text, redactions: 0 });
  });

  it.each([
    '@@ -23,7 +23,10 @@ export class TraceController {',
    'FAILED test_api.py::test_login - AssertionError: assert 401 == 200',
    'fix: handle empty input case',
    'feat(auth): rotate the API token every 24h',
    'password',
    'Please enter your password',
    'Password must be at least 8 characters long',
    'token_count = 5',
    'max_tokens=4096',
    'const tokenCount = tokens.length;',
    'if (!password) throw new Error("password is required");',
    '  password: string;',
    'export function validatePassword(password: string): boolean {',
    '-  const password = hashPassword(input);\n+  const password = await hashPassword(input);',
    'api_key = settings.API_KEY',
    'token = os.environ["GITHUB_TOKEN"]',
    'headers: { Authorization: `Bearer ${token}` }',
    'PASSWORD=${DB_PASSWORD}',
    'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
    '"password": "",',
    '"password": "Password",',
    'password: ********',
    'secretName: db-credentials',
    'Bearer authentication is required',
    'git clone ssh://git@github.com/org/repo.git',
    'https://github.com/org/repo/pull/12#discussion_r123',
  ])('leaves %j unchanged', (text) => {
    expect(redactText(text)).toEqual({ text, redactions: 0 });
  });

  it.each([
    ['a run of letters', 'a'.repeat(65536)],
    ['BEGIN headers', '-----BEGIN '.repeat(5958)],
    ['password assignments', 'password='.repeat(7282)],
    ['JWT prefixes', 'eyJ'.repeat(21846)],
    ['key-value pairs', 'a=a&'.repeat(16384)],
    ['colons', ':a'.repeat(32768)],
    ['URL credential prefixes', 'https://a:'.repeat(6554)],
    ['open quotes after a key', '"token": "'.repeat(6554)],
    ['flags without values', '--password '.repeat(5958)],
    ['Bearer prefixes', 'Bearer '.repeat(9363)],
    ['token prefixes', 'ghp_xoxb-AKIAglpat-'.repeat(3277)],
  ])('scans 64 KB of %s in linear time', (_name, text) => {
    const out = redactText(text);
    expect(out.text.length).toBeGreaterThan(0);
    expect(redactText(out.text).redactions).toBe(0);
  });
});

describe('redactJson', () => {
  it('scans every string of nested objects and arrays, keeping keys and other values', () => {
    const event = {
      kind: 'command',
      payload: {
        command: `export GITHUB_TOKEN=${'ghp_' + GITHUB_BODY}`,
        exitCode: 1,
        ok: false,
        missing: null,
        samples: ['npm test', { stdout: `using ${AWS_KEY}` }, [`psql --password ${PASSWORD}`]],
      },
    };
    const out = redactJson(event);
    expect(out).toEqual({
      value: {
        kind: 'command',
        payload: {
          command: `export GITHUB_TOKEN=${marker('github-token')}`,
          exitCode: 1,
          ok: false,
          missing: null,
          samples: [
            'npm test',
            { stdout: `using ${marker('aws-access-key')}` },
            [`psql --password ${marker('password-assignment')}`],
          ],
        },
      },
      redactions: 3,
    });
  });

  it('replaces whole any string whose key names a secret, however short', () => {
    const out = redactJson({
      password: 'x',
      api_key: 'abc',
      token: 'y',
      accessToken: PASSWORD,
      'x-api-key': 'k1',
      DB_PASSWORD: 'pw',
      client_secret: 'cs',
      Authorization: `Basic ${PASSWORD}`,
    });
    expect(out).toEqual({
      value: {
        password: marker('password-assignment'),
        api_key: marker('password-assignment'),
        token: marker('password-assignment'),
        accessToken: marker('password-assignment'),
        'x-api-key': marker('password-assignment'),
        DB_PASSWORD: marker('password-assignment'),
        client_secret: marker('password-assignment'),
        Authorization: marker('authorization'),
      },
      redactions: 8,
    });
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('replaces every string beneath a secret-named key', () => {
    const out = redactJson({ secrets: { db: 'pw1', list: ['a', 'b', 3] } });
    expect(out).toEqual({
      value: {
        secrets: {
          db: marker('password-assignment'),
          list: [marker('password-assignment'), marker('password-assignment'), 3],
        },
      },
      redactions: 3,
    });
  });

  it('keeps the values of keys that only mention a secret word, and empty or non-string secrets', () => {
    const value = {
      token_count: 5,
      tokenCount: 5,
      max_tokens: 100,
      tokenType: 'Bearer',
      passwordPolicy: 'min 8 chars',
      secretName: 'db-credentials',
      password: '',
      token: null,
      note: 'the password is required',
    };
    expect(redactJson(value)).toEqual({ value, redactions: 0 });
  });

  it('returns a deep copy and leaves its input untouched', () => {
    const input = { notes: [{ text: `DB_PASSWORD=${PASSWORD}` }] };
    const out = redactJson(input);
    expect(input.notes[0]?.text).toBe(`DB_PASSWORD=${PASSWORD}`);
    expect(out.value).not.toBe(input);
    expect(JSON.stringify(out.value)).not.toContain(PASSWORD);
  });

  it('scans a top-level string and passes other primitives through', () => {
    expect(redactJson(`ghp_${GITHUB_BODY}`)).toEqual({ value: marker('github-token'), redactions: 1 });
    for (const value of [42, true, null, undefined])
      expect(redactJson(value)).toEqual({ value, redactions: 0 });
  });

  it('keeps a "__proto__" key as data', () => {
    const out = redactJson(JSON.parse(`{"__proto__": {"password": "${PASSWORD}"}}`));
    expect(Object.getPrototypeOf(out.value)).toBe(Object.prototype);
    expect(JSON.stringify(out.value)).toBe(`{"__proto__":{"password":"${marker('password-assignment')}"}}`);
    expect(out.redactions).toBe(1);
  });
});
