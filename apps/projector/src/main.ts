import 'reflect-metadata';
import { runMain } from '@th/platform';
import { domainConfigVariables } from '@th/registry';
import { startProjector } from './start-projector';

runMain('projector', domainConfigVariables(), async (config) => {
  const { port } = await startProjector(config);
  const api = config.PROJECTOR_SERVE_API === 'true' ? ', GraphQL at /graphql' : '';
  return `projector consuming from ${config.KAFKA_BROKERS.join(',')}; health and metrics on port ${port}${api}`;
});
