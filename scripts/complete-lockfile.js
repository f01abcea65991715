// Records platform-specific optional packages that this machine's npm registry does not serve
// (macOS, Windows and other-CPU builds of @swc/core and chdb) in package-lock.json, marked with
// their os/cpu so npm skips them here. Without these entries `npm ci` refuses the lock file
// ("Missing: ... from lock file"). Run it after every `npm install` that changes the lock file:
//   npm install && node scripts/complete-lockfile.js
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const lockPath = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/** os, cpu and libc of a platform package, read from its name (e.g. core-linux-arm64-musl). */
function platformOf(name) {
  const os = ['darwin', 'win32', 'linux', 'freebsd', 'android'].find((o) => name.includes(`-${o}-`) || name.endsWith(`-${o}`));
  // Names say ppc64le where Node's process.arch (what npm matches) says ppc64.
  const named = ['arm64', 'x64', 'ia32', 'arm', 'ppc64le', 'ppc64', 's390x', 'riscv64'].find((c) => new RegExp(`-${c}(-|$)`).test(name));
  const cpu = named === 'ppc64le' ? 'ppc64' : named;
  const libc = name.includes('-musl') ? ['musl'] : os === 'linux' && name.includes('-gnu') ? ['glibc'] : undefined;
  return os && cpu ? { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) } : undefined;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depPath = `${path ? `${path}/` : ''}node_modules/${dep}`;
    if (packages[depPath] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[`node_modules/${dep}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: recorded ${added} platform package(s) the registry does not serve\n`);
