// `npm start` builds first when dist/ is missing or older than any source file, so a fresh clone
// needs only `npm ci && npm start`.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// The last files each build step writes: the compiled apps, and the dashboard.
const markers = [join(root, 'dist/apps/embedded/src/main.js'), join(root, 'dist/dashboard/index.html')];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|tsx|mts|css|html|sql|proto)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const built = Math.min(...markers.map((marker) => (existsSync(marker) ? statSync(marker).mtimeMs : 0)));
const sources = Math.max(newestSource(join(root, 'apps')), newestSource(join(root, 'libs')));
if (built < sources) {
  process.stdout.write('building (dist/ is missing or older than the sources)...\n');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
