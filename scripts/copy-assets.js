// Copies the files the compiled apps read at run time (every lib's SQL migrations) next to the
// compiled code, so a new domain's migrations ship without touching this script.
const { cpSync, existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const lib of readdirSync(join(root, 'libs'))) {
  const migrations = join(root, 'libs', lib, 'migrations');
  if (existsSync(migrations)) cpSync(migrations, join(root, 'dist/libs', lib, 'migrations'), { recursive: true });
}
