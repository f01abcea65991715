// The browser suite drives Debian's Chromium (never a downloaded browser). When it is missing,
// this installs it from Debian's packages, as the Kafka setup fetches its jars: a fresh machine
// needs nothing by hand. Run by the e2e global setup; `node scripts/ensure-chromium.js` by hand.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

function ensureChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (args) =>
    execFileSync(asRoot ? args[0] : 'sudo', asRoot ? args.slice(1) : ['-n', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  log(`${CHROMIUM} is missing: installing Debian's chromium (apt-get install -y chromium)...`);
  const started = Date.now();
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
  log(`chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return CHROMIUM;
}

module.exports = { ensureChromium, CHROMIUM };
if (require.main === module) ensureChromium();
