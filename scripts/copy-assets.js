// Copies the files the compiled apps read at run time (SQL migrations) next to the compiled code.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
cpSync(join(root, 'libs/store/migrations'), join(root, 'dist/libs/store/migrations'), { recursive: true });
