// Jest global setup: one real Kafka broker (single-node KRaft, loopback, free ports) for the
// suites that need it, unless KAFKA_BROKERS already points at one. Workers inherit KAFKA_BROKERS.
const { startKafka } = require('../deploy/local/kafka/kafka-local');

module.exports = async function startSharedKafka() {
  if (process.env.KAFKA_BROKERS) return;
  const started = Date.now();
  const broker = await startKafka({ log: () => {} });
  process.env.KAFKA_BROKERS = broker.bootstrap;
  globalThis.__TH_KAFKA__ = broker;
  process.stderr.write(
    `\nKafka broker for the suites: ${broker.bootstrap} (started in ${Date.now() - started} ms)\n`,
  );
};
