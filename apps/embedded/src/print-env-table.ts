import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { envTable, withEnvTable } from './env-table';

/** `npm run docs:env`: rewrites the README's table of environment variables from the registry. */
const readme = resolve(__dirname, '../../../../README.md');
writeFileSync(readme, withEnvTable(readFileSync(readme, 'utf8')));
process.stdout.write(`${envTable()}\n\nwrote ${readme}\n`);
