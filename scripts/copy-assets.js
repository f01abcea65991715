// Copies the files the compiled apps read at run time (every lib's SQL migrations and protobuf
// definitions) next to the compiled code, so a new domain's assets ship without touching this script.
const { cpSync, existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const lib of readdirSync(join(root, 'libs'))) {
  for (const assets of ['migrations', 'proto']) {
    const from = join(root, 'libs', lib, assets);
    if (existsSync(from)) cpSync(from, join(root, 'dist/libs', lib, assets), { recursive: true });
  }
}
