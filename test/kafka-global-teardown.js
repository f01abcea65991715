// Stops the broker the global setup started (an external KAFKA_BROKERS is left alone).
const { rmSync } = require('node:fs');
const { PID_FILE } = require('./kafka-global-setup');

module.exports = async function stopSharedKafka() {
  const broker = globalThis.__TH_KAFKA__;
  if (broker) await broker.stop({ removeDataDir: true });
  rmSync(PID_FILE, { force: true });
};
