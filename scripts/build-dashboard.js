// Builds the analysts' dashboard (apps/dashboard, Vite) into dist/dashboard, then prints what the
// first page costs: the entry chunk with everything it imports at load time and its CSS, gzipped.
// Past FIRST_PAGE_BUDGET the build fails: the overview must stay fast to open.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = join(__dirname, '..');
const out = join(root, 'dist/dashboard');
const FIRST_PAGE_BUDGET = 500 * 1024;

execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/dashboard/vite.config.mts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});

const manifest = JSON.parse(readFileSync(join(out, '.vite/manifest.json'), 'utf8'));
const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
const files = new Set();
const visit = (chunk) => {
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) visit(manifest[imported]);
};
visit(entry);
const sizes = [...files].map((file) => {
  const bytes = readFileSync(join(out, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
for (const s of sizes) console.log(`dashboard first page: ${s.file} ${kb(s.raw)} (${kb(s.gzip)} gzipped)`);
console.log(`dashboard first page total: ${kb(total)} gzipped (budget ${kb(FIRST_PAGE_BUDGET)})`);
if (total > FIRST_PAGE_BUDGET) {
  console.error('the dashboard first page is over its budget: move what it does not need behind a lazy import');
  process.exit(1);
}
