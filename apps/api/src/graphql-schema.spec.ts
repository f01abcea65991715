import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, buildSchemaSdl } from './graphql-schema';

describe('GraphQL schema', () => {
  it('matches the committed apps/api/schema.gql (run `npm run schema:gql` after changing types)', async () => {
    expect(await buildSchemaSdl()).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
