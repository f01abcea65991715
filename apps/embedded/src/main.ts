import 'reflect-metadata';
import { runMain } from '@th/platform';
import { domainConfigVariables } from '@th/registry';
import { startEmbedded } from './start-embedded';

/** `npm start`: the embedded default, one process, no server to install. */
runMain('embedded', domainConfigVariables(), async (config) => {
  const { url } = await startEmbedded(config);
  return `Telemetry Hub (embedded) listening on ${url} — GraphQL at ${url}/graphql, data in ${config.DATA_DIR}`;
});
