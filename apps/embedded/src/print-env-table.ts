import { envTable } from './env-table';

/** `npm run docs:env`: prints the README's table of environment variables from the registry. */
process.stdout.write(`${envTable()}\n`);
