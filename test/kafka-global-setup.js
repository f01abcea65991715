// Jest global setup: one real Kafka broker (single-node KRaft, loopback, free ports) for the
// suites that need it, unless KAFKA_BROKERS already points at one. Workers inherit KAFKA_BROKERS.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { startKafka } = require('../deploy/local/kafka/kafka-local');

/** Where the broker's pid is kept while the suites run, so .ci/run can stop it after a timeout. */
const PID_FILE = join(__dirname, '../.cache/test-kafka.pid');

module.exports = async function startSharedKafka() {
  if (process.env.KAFKA_BROKERS) return;
  const started = Date.now();
  const broker = await startKafka({ log: () => {} });
  process.env.KAFKA_BROKERS = broker.bootstrap;
  globalThis.__TH_KAFKA__ = broker;
  mkdirSync(join(__dirname, '../.cache'), { recursive: true });
  writeFileSync(PID_FILE, `${broker.pid}\n`);
  process.stderr.write(
    `\nKafka broker for the suites: ${broker.bootstrap} (started in ${Date.now() - started} ms)\n`,
  );
};

module.exports.PID_FILE = PID_FILE;
