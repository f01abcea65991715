import { Logger } from '@nestjs/common';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config';
import type { ConfigVariables } from './config/config-variable';

/**
 * The common body of every app's main.ts: validate the environment, the domains' variables included (a
 * bad variable stops start-up with a message naming it), start, log where it listens, and exit non-zero on a failed start.
 */
export function runMain(
  appName: string,
  domainVariables: ConfigVariables,
  start: (config: AppConfig) => Promise<string>,
): void {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, domainVariables);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${appName}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  start(config).then(
    (message) => new Logger(appName).log(message),
    (error: unknown) => {
      new Logger(appName).error({
        msg: 'start-up failed',
        err: error instanceof Error ? error.stack : String(error),
      });
      process.exit(1);
    },
  );
}
