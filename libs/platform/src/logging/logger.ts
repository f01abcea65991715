import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Structured JSON logs (one object a line) by default; plain text when LOG_FORMAT=text. */
export function createLogger(
  config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  appName: string,
): ConsoleLogger {
  const logLevels = LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1);
  return new ConsoleLogger(appName, { json: config.LOG_FORMAT === 'json', logLevels, colors: false });
}
