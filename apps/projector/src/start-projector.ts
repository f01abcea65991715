import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, createHttpApp, listen } from '@th/platform';
import { ProjectorModule } from './projector.module';

/** Starts the projector: the Kafka consumer plus its HTTP side (health, metrics, maybe GraphQL). */
export async function startProjector(
  config: AppConfig,
): Promise<{ app: NestFastifyApplication; port: number }> {
  const app = await createHttpApp(ProjectorModule.forRoot(config), config, 'projector');
  const port = await listen(app, config);
  return { app, port };
}
