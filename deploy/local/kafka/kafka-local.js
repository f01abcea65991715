#!/usr/bin/env node
'use strict';

/**
 * Local single-node Kafka (KRaft) broker without Docker.
 *
 * Resolves the broker jars with Maven (once, cached), formats a data dir and
 * runs `kafka.Kafka` as a detached JVM on free loopback ports.
 *
 *   node deploy/local/kafka/kafka-local.js up|down|status
 *
 * or from code:
 *
 *   const { startKafka } = require('./deploy/local/kafka/kafka-local');
 *   const kafka = await startKafka();
 *   // ... use kafka.bootstrap ...
 *   await kafka.stop();
 *
 * Only node built-ins are used.
 */

const { spawn, spawnSync, execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const POM_PATH = path.join(__dirname, 'pom.xml');
const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'kafka');
const STATE_FILE = path.join(REPO_ROOT, '.cache', 'kafka', 'local-broker.json');

const HOST = '127.0.0.1';
const NODE_ID = 1;
const READY_LOG_LINE = 'Kafka Server started';
const DEFAULT_START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;
const KILL_WAIT_MS = 5_000;
const POLL_MS = 250;
const LOG_TAIL_LINES = 40;
const MAX_PORT_ATTEMPTS = 3;
const DEFAULT_JVM_ARGS = ['-Xms256m', '-Xmx512m', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

// ---------------------------------------------------------------------------
// Prerequisites
// ---------------------------------------------------------------------------

/** Path of the java launcher: $JAVA_HOME/bin/java when it exists, else `java` from PATH. */
function javaBinary() {
  const home = process.env.JAVA_HOME;
  const candidate = home ? path.join(home, 'bin', 'java') : '';
  return candidate && fs.existsSync(candidate) ? candidate : 'java';
}

/** Runs `cmd args` with a timeout and throws `hint` if it cannot be run. Returns its output. */
function probeTool(cmd, args, hint) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (res.error && res.error.code === 'ENOENT') throw new Error(`${path.basename(cmd)} not found: ${hint}`);
  if (res.error) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${res.error.message}): ${hint}`);
  if (res.status !== 0) {
    throw new Error(
      `\`${cmd} ${args.join(' ')}\` exited with ${res.status}: ${hint}\n${res.stderr || res.stdout}`,
    );
  }
  return `${res.stdout}${res.stderr}`;
}

/** Throws unless a Java 11+ runtime is available. */
function checkJava() {
  const hint = 'install a JDK 17 (Debian: apt-get install openjdk-17-jre-headless)';
  const out = probeTool(javaBinary(), ['-version'], hint);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(out);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN;
  if (major < 11) throw new Error(`Kafka 3.9 needs Java 11 or newer, found Java ${major}: ${hint}`);
}

/** Throws unless Maven is available. */
function checkMaven() {
  probeTool('mvn', ['-v'], 'install Maven 3 (Debian: apt-get install maven)');
}

// ---------------------------------------------------------------------------
// Jars (Maven, cached)
// ---------------------------------------------------------------------------

/** Directory holding the jars and the marker file: $KAFKA_LOCAL_CACHE or <repo>/.cache/kafka. */
function resolveCacheDir(opts = {}) {
  return path.resolve(opts.cacheDir || process.env.KAFKA_LOCAL_CACHE || DEFAULT_CACHE_DIR);
}

function pomHash() {
  return crypto.createHash('sha256').update(fs.readFileSync(POM_PATH)).digest('hex');
}

function markerPath(cacheDir) {
  return path.join(cacheDir, 'lib.pom-sha256');
}

/** True when <cacheDir>/lib was fetched from the current pom.xml. */
function jarsAreCached(cacheDir) {
  try {
    const recorded = fs.readFileSync(markerPath(cacheDir), 'utf8').trim();
    return (
      recorded === pomHash() && fs.readdirSync(path.join(cacheDir, 'lib')).some((f) => f.endsWith('.jar'))
    );
  } catch {
    return false;
  }
}

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message = `\`${cmd} ${args.join(' ')}\` failed: ${error.message}\n${stdout}${stderr}`.trim();
        reject(error);
      } else {
        resolve(`${stdout}${stderr}`);
      }
    });
  });
}

/**
 * Copies the broker's jars into <cacheDir>/lib with Maven. The jars land in a
 * temp dir first and are renamed into place, so an interrupted or concurrent
 * fetch never leaves a half-filled lib dir behind a valid marker.
 */
async function fetchJars(cacheDir, log) {
  const hash = pomHash();
  const libDir = path.join(cacheDir, 'lib');
  const tmpDir = path.join(cacheDir, `lib.tmp-${process.pid}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.rmSync(tmpDir, { recursive: true, force: true });
  log(`fetching Kafka jars with Maven into ${libDir} ...`);
  await run(
    'mvn',
    ['-q', '-B', '-f', POM_PATH, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
    { timeout: 15 * 60_000 },
  );
  if (jarsAreCached(cacheDir)) {
    fs.rmSync(tmpDir, { recursive: true, force: true }); // another process won the race
    return;
  }
  fs.rmSync(libDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, libDir);
  fs.writeFileSync(markerPath(cacheDir), `${hash}\n`);
}

/** Checks the tools, fetches the jars if needed and returns the lib dir. */
async function ensureRuntime(cacheDir, log) {
  const cached = jarsAreCached(cacheDir);
  checkJava();
  if (!cached) {
    checkMaven();
    await fetchJars(cacheDir, log);
  }
  return path.join(cacheDir, 'lib');
}

// ---------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------

function listenOnFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => resolve(server));
  });
}

function closeServer(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Returns `count` distinct free ports on 127.0.0.1 (all held open until every one is picked). */
async function pickFreePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i += 1) servers.push(await listenOnFreePort());
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map(closeServer));
  }
}

/** Resolves true when something accepts TCP connections on HOST:port. */
function portAcceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------
// Data dir and configuration
// ---------------------------------------------------------------------------

function dataDirPaths(dataDir) {
  return {
    serverProperties: path.join(dataDir, 'server.properties'),
    log4jProperties: path.join(dataDir, 'log4j.properties'),
    logDir: path.join(dataDir, 'data'),
    metaProperties: path.join(dataDir, 'data', 'meta.properties'),
    logFile: path.join(dataDir, 'kafka.log'),
  };
}

function serverProperties({ port, controllerPort, logDir }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': NODE_ID,
    'controller.quorum.voters': `${NODE_ID}@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    // Single node: every internal topic has one replica and one partition.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    // Light on a 2-core machine.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.replica.fetchers': 1,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.check.interval.ms': 300_000,
  };
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

function log4jProperties() {
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.org.apache.kafka.clients=WARN',
    '',
  ].join('\n');
}

/** Returns the absolute data dir, creating it (a fresh temp dir unless one is given). */
function createDataDir(dataDir) {
  if (!dataDir) return fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-local-'));
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes server.properties and log4j.properties for `ports` into the data dir. */
function writeConfig(dataDir, ports) {
  const paths = dataDirPaths(dataDir);
  fs.mkdirSync(paths.logDir, { recursive: true });
  fs.writeFileSync(paths.serverProperties, serverProperties({ ...ports, logDir: paths.logDir }));
  fs.writeFileSync(paths.log4jProperties, log4jProperties());
  return paths;
}

/** A random KRaft cluster id (base64url of 16 bytes); never starting with '-', which the CLI would read as a flag. */
function newClusterId() {
  let id;
  do id = crypto.randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

function javaArgs(libDir, paths, mainClass, extraJvmArgs = []) {
  return [
    ...extraJvmArgs,
    `-Dlog4j.configuration=file:${paths.log4jProperties}`,
    '-cp',
    path.join(libDir, '*'),
    mainClass,
  ];
}

/** Formats the storage of the data dir, unless it already holds meta.properties. */
async function formatStorageIfNeeded(libDir, paths) {
  if (fs.existsSync(paths.metaProperties)) return;
  const args = [
    ...javaArgs(libDir, paths, 'kafka.tools.StorageTool', ['-Xmx256m']),
    'format',
    '-t',
    newClusterId(),
    '-c',
    paths.serverProperties,
  ];
  const output = await run(javaBinary(), args, { timeout: 120_000 });
  fs.appendFileSync(paths.logFile, output);
}

// ---------------------------------------------------------------------------
// Process control
// ---------------------------------------------------------------------------

/** True while `pid` is a live (non-zombie) process. */
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    // A zombie still answers kill(0); on Linux its state letter is 'Z'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** True when `pid` is alive and (where /proc exists) is a kafka.Kafka JVM, not a recycled pid. */
function isKafkaProcess(pid) {
  if (!pid || !isProcessAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
  } catch {
    return true;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

function sendSignal(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

function spawnBroker(libDir, paths, jvmArgs) {
  const logFd = fs.openSync(paths.logFile, 'a');
  try {
    const child = spawn(
      javaBinary(),
      [...javaArgs(libDir, paths, 'kafka.Kafka', jvmArgs), paths.serverProperties],
      {
        cwd: path.dirname(paths.logFile),
        detached: true,
        stdio: ['ignore', logFd, logFd],
      },
    );
    child.unref();
    return child;
  } finally {
    fs.closeSync(logFd);
  }
}

function readLogTail(logFile, lines = LOG_TAIL_LINES) {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function readLogSince(logFile, fromOffset) {
  try {
    return fs.readFileSync(logFile).subarray(fromOffset).toString('utf8');
  } catch {
    return '';
  }
}

/** The first ERROR/FATAL line of `text` and the two lines after it (usually the cause), or ''. */
function firstErrorBlock(text) {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => /\] (ERROR|FATAL) /.test(line));
  return index === -1 ? '' : lines.slice(index, index + 3).join('\n');
}

/** Error for a failed start: the reason, the first logged error and the last 40 log lines. */
function startupError(reason, paths, logOffset) {
  const tail = readLogTail(paths.logFile);
  const firstError = firstErrorBlock(readLogSince(paths.logFile, logOffset));
  const errorPart = firstError && !tail.includes(firstError) ? `\nfirst error in log:\n${firstError}` : '';
  const err = new Error(`${reason}${errorPart}\nlast ${LOG_TAIL_LINES} lines of ${paths.logFile}:\n${tail}`);
  err.portInUse = readLogSince(paths.logFile, logOffset).includes('Address already in use');
  return err;
}

/**
 * Resolves once the broker port accepts connections and the log (past
 * `logOffset`) has the ready line; rejects if the JVM exits or time runs out.
 */
async function waitUntilReady(child, { port, logFile, logOffset, timeoutMs }) {
  let exitCode = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? signal;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== null) throw new Error(`Kafka exited early (${exitCode})`);
    if (readLogSince(logFile, logOffset).includes(READY_LOG_LINE) && (await portAcceptsConnections(port)))
      return;
    await sleep(POLL_MS);
  }
  throw new Error(`Kafka did not start within ${timeoutMs} ms`);
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Resolves when Node has reaped `child` (so its pid no longer exists), or after `timeoutMs`. */
function childReaped(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Makes sure the JVM does not outlive this Node process when it exits normally
 * (not on signals: a SIGKILLed parent leaves the broker running).
 */
function killOnExit(pid) {
  const handler = () => sendSignal(pid, 'SIGTERM');
  process.once('exit', handler);
  return () => process.removeListener('exit', handler);
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Starts a single-node KRaft Kafka broker on 127.0.0.1.
 *
 * @param {object} [opts]
 * @param {string} [opts.dataDir] Data dir to use (created if missing). An already
 *   formatted dir (data/meta.properties present) is reused as-is, so a broker can be
 *   restarted on its earlier data. Default: a new temp dir.
 * @param {number} [opts.port] Broker (PLAINTEXT) port. Default: a free port.
 * @param {number} [opts.controllerPort] Controller port. Default: a free port.
 * @param {number} [opts.timeoutMs=90000] How long to wait for the broker to be ready.
 * @param {string} [opts.cacheDir] Jar cache. Default: $KAFKA_LOCAL_CACHE or <repo>/.cache/kafka.
 * @param {string[]} [opts.jvmArgs] JVM flags. Default: -Xms256m -Xmx512m ...
 * @param {boolean} [opts.keepAlive=false] Leave the broker running when this Node
 *   process exits (the CLI uses this). By default it gets SIGTERM on process exit.
 * @param {(msg: string) => void} [opts.log] Progress messages. Default: silent.
 * @returns {Promise<{bootstrap: string, pid: number, port: number, controllerPort: number,
 *   dataDir: string, logFile: string, stop: (stopOpts?: {removeDataDir?: boolean}) => Promise<void>}>}
 * @throws {Error} if java/mvn are missing, the jars cannot be fetched, or the broker
 *   does not come up in time (the message then ends with the last 40 log lines).
 */
async function startKafka(opts = {}) {
  const log = opts.log || (() => {});
  const libDir = await ensureRuntime(resolveCacheDir(opts), log);
  const dataDir = createDataDir(opts.dataDir);
  const portsArePicked = !opts.port && !opts.controllerPort;
  for (let attempt = 1; ; attempt += 1) {
    const ports = await choosePorts(opts);
    try {
      return await startBroker({ libDir, dataDir, ports, opts, log });
    } catch (err) {
      // Another process may take a free port between our probe and Kafka's bind.
      if (!err.portInUse || !portsArePicked || attempt >= MAX_PORT_ATTEMPTS) throw err;
      log(`port already in use, retrying with other ports (attempt ${attempt + 1})`);
    }
  }
}

/** opts.port / opts.controllerPort, each defaulting to a free loopback port. */
async function choosePorts(opts) {
  const [freeBroker, freeController] = await pickFreePorts(2);
  return { port: opts.port || freeBroker, controllerPort: opts.controllerPort || freeController };
}

/** One start attempt on the given ports; kills the JVM and throws if it does not become ready. */
async function startBroker({ libDir, dataDir, ports, opts, log }) {
  const paths = writeConfig(dataDir, ports);
  await formatStorageIfNeeded(libDir, paths);
  const logOffset = fileSize(paths.logFile);
  const child = spawnBroker(libDir, paths, opts.jvmArgs || DEFAULT_JVM_ARGS);
  const forgetExitHook = opts.keepAlive ? () => {} : killOnExit(child.pid);
  log(`starting Kafka (pid ${child.pid}, log ${paths.logFile}) ...`);

  try {
    const timeoutMs = opts.timeoutMs || DEFAULT_START_TIMEOUT_MS;
    await waitUntilReady(child, { ...ports, logFile: paths.logFile, logOffset, timeoutMs });
  } catch (err) {
    sendSignal(child.pid, 'SIGKILL');
    await childReaped(child, KILL_WAIT_MS);
    forgetExitHook();
    throw startupError(err.message, paths, logOffset);
  }

  const state = {
    bootstrap: `${HOST}:${ports.port}`,
    pid: child.pid,
    ...ports,
    dataDir,
    logFile: paths.logFile,
  };
  return {
    ...state,
    stop: async (stopOpts = {}) => {
      await stopKafka(state, stopOpts);
      await childReaped(child, 1_000);
      forgetExitHook();
    },
  };
}

/**
 * Stops a broker: SIGTERM, up to 20 s for a clean shutdown, then SIGKILL.
 * Resolves once the process is gone (at once if it already was).
 *
 * @param {number | {pid: number, dataDir?: string}} stateOrPid The object returned by
 *   startKafka (or the CLI's state file), or just a pid.
 * @param {object} [opts]
 * @param {boolean} [opts.removeDataDir=false] Also delete state.dataDir afterwards.
 * @returns {Promise<void>}
 */
async function stopKafka(stateOrPid, opts = {}) {
  const state =
    typeof stateOrPid === 'object' && stateOrPid !== null ? stateOrPid : { pid: Number(stateOrPid) };
  if (!Number.isInteger(state.pid) || state.pid <= 0) throw new Error(`stopKafka: invalid pid ${state.pid}`);

  if (isProcessAlive(state.pid)) {
    sendSignal(state.pid, 'SIGTERM');
    if (!(await waitForExit(state.pid, STOP_GRACE_MS))) {
      sendSignal(state.pid, 'SIGKILL');
      if (!(await waitForExit(state.pid, KILL_WAIT_MS)))
        throw new Error(`Kafka pid ${state.pid} survived SIGKILL`);
    }
  }
  if (opts.removeDataDir && state.dataDir) fs.rmSync(state.dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return null;
  }
}

function writeState(state) {
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

function runningState() {
  const state = readState();
  return state && isKafkaProcess(state.pid) ? state : null;
}

/** True for a data dir that startKafka created itself (a kafka-local-* dir in the temp dir). */
function isOwnTempDataDir(dir) {
  return (
    typeof dir === 'string' &&
    path.dirname(dir) === os.tmpdir() &&
    path.basename(dir).startsWith('kafka-local-')
  );
}

/** Deletes the state file and, if the CLI created it, the broker's temp data dir. */
function forgetState(state) {
  if (state.ownsDataDir && isOwnTempDataDir(state.dataDir))
    fs.rmSync(state.dataDir, { recursive: true, force: true });
  fs.rmSync(STATE_FILE, { force: true });
}

function stderrLog(msg) {
  process.stderr.write(`kafka-local: ${msg}\n`);
}

async function cliUp() {
  let state = runningState();
  if (state) {
    stderrLog(`already running (pid ${state.pid}, data ${state.dataDir})`);
  } else {
    const stale = readState();
    if (stale) forgetState(stale);
    const kafka = await startKafka({ keepAlive: true, log: stderrLog });
    state = {
      bootstrap: kafka.bootstrap,
      pid: kafka.pid,
      port: kafka.port,
      controllerPort: kafka.controllerPort,
      dataDir: kafka.dataDir,
      logFile: kafka.logFile,
      ownsDataDir: true,
      startedAt: new Date().toISOString(),
    };
    writeState(state);
    stderrLog(`started (pid ${state.pid}, data ${state.dataDir}, state ${STATE_FILE})`);
  }
  process.stdout.write(`KAFKA_BROKERS=${state.bootstrap}\n`);
}

async function cliDown() {
  const state = readState();
  if (!state) {
    process.stdout.write('not running\n');
    return;
  }
  if (isKafkaProcess(state.pid)) await stopKafka(state);
  forgetState(state);
  process.stdout.write(`stopped (pid ${state.pid})\n`);
}

function cliStatus() {
  const state = runningState();
  if (state) {
    process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
  } else {
    process.stdout.write('not running\n');
    process.exitCode = 3;
  }
}

async function main(argv) {
  const commands = { up: cliUp, down: cliDown, status: cliStatus };
  const command = commands[argv[0]];
  if (!command) {
    process.stderr.write('usage: node deploy/local/kafka/kafka-local.js up|down|status\n');
    process.exitCode = 2;
    return;
  }
  await command();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`kafka-local: ${err.message}\n`);
    process.exitCode = 1;
  });
}

module.exports = { startKafka, stopKafka };
