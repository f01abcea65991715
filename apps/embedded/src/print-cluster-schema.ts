import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CLUSTER_SCHEMA_PATH, clusterSchemaDocument } from '@th/registry';

const file = resolve(__dirname, '../../../..', CLUSTER_SCHEMA_PATH);

/** `npm run schema:cluster`: rewrites deploy/clickhouse/cluster-schema.sql from the migrations. */
void clusterSchemaDocument().then((sql) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sql);
  process.stdout.write(`wrote ${file}\n`);
});
