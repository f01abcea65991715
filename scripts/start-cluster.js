// `npm run start:cluster`: the distributed topology on one machine, for a newcomer.
//   - a real Kafka broker (single-node KRaft, deploy/local/kafka), its log kept in DATA_DIR/kafka
//   - the gateway on PORT (default 8080): every ingestion route, publishing to Kafka
//   - the projector + api in one process on API_PORT (default 8081): consumes into chDB under
//     DATA_DIR/clickhouse and serves GraphQL (chDB binds one data directory per process)
// Ctrl-C stops the apps (each finishes what it holds), then the broker.
const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { startKafka } = require('../deploy/local/kafka/kafka-local');

const root = join(__dirname, '..');
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data/cluster'));
const gatewayPort = process.env.PORT ?? '8080';
const apiPort = process.env.API_PORT ?? '8081';

function log(message) {
  process.stdout.write(`[cluster] ${message}\n`);
}

async function startBroker() {
  if (process.env.KAFKA_BROKERS) return { bootstrap: process.env.KAFKA_BROKERS, stop: async () => {} };
  const kafkaDir = join(dataDir, 'kafka');
  const portsFile = join(dataDir, 'kafka-ports.json');
  mkdirSync(dataDir, { recursive: true });
  const previous = existsSync(portsFile) ? JSON.parse(readFileSync(portsFile, 'utf8')) : {};
  const broker = await startKafka({ dataDir: kafkaDir, ...previous, log: (line) => log(`kafka: ${line}`) });
  writeFileSync(portsFile, JSON.stringify({ port: broker.port, controllerPort: broker.controllerPort }));
  return broker;
}

/**
 * Every gateway must hash anon ids with the same secret. A newcomer has none: outside production a
 * development salt is generated once in DATA_DIR (and said loudly); in production YEARLY_SALT is
 * required, never generated.
 */
function yearlySalt() {
  if (process.env.YEARLY_SALT) return process.env.YEARLY_SALT;
  if (process.env.NODE_ENV === 'production') {
    throw new Error('YEARLY_SALT is not set: with NODE_ENV=production every gateway needs the same secret (at least 16 characters)');
  }
  const file = join(dataDir, 'yearly-salt');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  log(`WARNING: YEARLY_SALT is not set: using a development salt kept in ${file}.`);
  log('WARNING: set YEARLY_SALT (the same on every gateway) for a real deployment; NODE_ENV=production refuses to start without it.');
  return readFileSync(file, 'utf8').trim();
}

function startApp(name, script, env) {
  const child = spawn(process.execPath, [join(root, 'dist/apps', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    log(`${name} exited (${signal ?? code})`);
    if (!stopping) void shutdown(1);
  });
  return child;
}

let stopping = false;
const children = [];
let broker;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
    ),
  );
  await broker?.stop();
  process.exit(code);
}

async function main() {
  const salt = yearlySalt();
  broker = await startBroker();
  log(`Kafka broker at ${broker.bootstrap}`);
  const common = { KAFKA_BROKERS: broker.bootstrap, YEARLY_SALT: salt };
  children.push(startApp('projector+api', 'projector/src/main.js', {
    ...common,
    PORT: apiPort,
    DATA_DIR: dataDir,
    PROJECTOR_SERVE_API: 'true',
  }));
  children.push(startApp('gateway', 'gateway/src/main.js', { ...common, PORT: gatewayPort }));
  log(`gateway: http://localhost:${gatewayPort}   GraphQL: http://localhost:${apiPort}/graphql   data: ${dataDir}`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  process.stderr.write(`[cluster] ${error.stack ?? error}\n`);
  void shutdown(1);
});
