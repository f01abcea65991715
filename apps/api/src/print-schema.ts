import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchemaSdl } from './graphql-schema';

/** `npm run schema:gql`: regenerates apps/api/schema.gql from the code. */
const target = resolve(__dirname, '../../../../apps/api/schema.gql');
buildSchemaSdl().then(
  (sdl) => {
    writeFileSync(target, sdl);
    process.stdout.write(`wrote ${target}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
