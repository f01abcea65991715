// Jest global setup of the end-to-end suites: Debian's Chromium for the browser suite (installed
// when missing), then the shared Kafka broker.
const startSharedKafka = require('./kafka-global-setup');
const { ensureChromium } = require('../scripts/ensure-chromium');

module.exports = async function e2eGlobalSetup() {
  ensureChromium();
  await startSharedKafka();
};
