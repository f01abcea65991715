import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig } from '@th/platform';
import { makeDataDir, removeDataDir } from '../../../test/helpers/embedded-app';
import { startEmbedded } from '../../embedded/src/start-embedded';
import { SCHEMA_FILE, buildSchemaSdl } from './graphql-schema';

describe('GraphQL schema', () => {
  const committed = readFileSync(SCHEMA_FILE, 'utf8');

  it('printed from the registry matches the committed apps/api/schema.gql (run `npm run schema:gql`)', async () => {
    expect(await buildSchemaSdl()).toBe(committed);
  });

  it('served by a running app is the committed one, so no resolver is missing from the registry', async () => {
    const dataDir = makeDataDir('th-schema-');
    const { app } = await startEmbedded(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error' }),
    );
    try {
      const served = app.get(GraphQLSchemaHost).schema;
      expect(`${printSchema(lexicographicSortSchema(served))}\n`).toBe(committed);
    } finally {
      await app.close();
      removeDataDir(dataDir);
    }
  });
});
