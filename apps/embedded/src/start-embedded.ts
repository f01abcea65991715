import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, createHttpApp, listen } from '@th/platform';
import { EmbeddedModule } from './embedded.module';

export interface RunningApp {
  app: NestFastifyApplication;
  port: number;
  url: string;
}

/** Starts the all-in-one app and resolves once it listens (PORT=0 picks a free port). */
export async function startEmbedded(config: AppConfig): Promise<RunningApp> {
  const app = await createHttpApp(EmbeddedModule.forRoot(config), config, 'embedded');
  const port = await listen(app, config);
  return { app, port, url: `http://localhost:${port}` };
}
