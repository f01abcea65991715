import 'reflect-metadata';
import { createHttpApp, listen, runMain } from '@th/platform';
import { domainConfigVariables } from '@th/registry';
import { ApiModule } from './api.module';

runMain('api', domainConfigVariables(), async (config) => {
  const app = await createHttpApp(ApiModule.forRoot(config), config, 'api');
  const port = await listen(app, config);
  return `api listening on port ${port}, GraphQL at /graphql`;
});
