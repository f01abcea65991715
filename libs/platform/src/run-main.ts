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
  boundShutdown(appName, config.SHUTDOWN_TIMEOUT_MS);
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

/**
 * A graceful stop waits for in-flight requests and reads; it must still end. Past the deadline
 * the process exits (1): anything acknowledged is already durable, and anything not yet
 * acknowledged will be retried by its client.
 */
function boundShutdown(appName: string, timeoutMs: number): void {
  const arm = (signal: NodeJS.Signals) => {
    setTimeout(() => {
      new Logger(appName).error({ msg: 'graceful stop took too long; exiting', signal, timeoutMs });
      process.exit(1);
    }, timeoutMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
