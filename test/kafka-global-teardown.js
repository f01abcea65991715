// Stops the broker the global setup started (an external KAFKA_BROKERS is left alone).
module.exports = async function stopSharedKafka() {
  const broker = globalThis.__TH_KAFKA__;
  if (broker) await broker.stop({ removeDataDir: true });
};
