import 'reflect-metadata';
import { createHttpApp, listen, runMain } from '@th/platform';
import { domainConfigVariables } from '@th/registry';
import { GatewayModule } from './gateway.module';

runMain('gateway', domainConfigVariables(), async (config) => {
  const app = await createHttpApp(GatewayModule.forRoot(config), config, 'gateway');
  const port = await listen(app, config);
  return `gateway listening on port ${port}, publishing to Kafka at ${config.KAFKA_BROKERS.join(',')}`;
});
