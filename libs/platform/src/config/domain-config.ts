import type { FactoryProvider } from '@nestjs/common';
import { type AppConfig, parseConfig } from './app-config';
import type { ConfigOf, ConfigVariables } from './config-variable';
import { APP_CONFIG } from './config.module';

/**
 * Provides a domain's own typed settings under its token, parsed from the same environment as the
 * platform's (start-up already validated them, so this cannot fail on a running app).
 */
export function domainConfigProvider<V extends ConfigVariables>(
  token: symbol,
  variables: V,
): FactoryProvider<ConfigOf<V>> {
  return {
    provide: token,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => parseConfig(variables, config.source),
  };
}
