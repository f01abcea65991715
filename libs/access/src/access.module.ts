import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { DomainContext } from '@th/contracts';
import { AccessDecisionsCheck } from './access-decisions.check';
import { AccessGuard } from './access.guard';
import { AccessRules } from './access-rules';
import { API_KEY_STORE } from './api-key-store';
import { ApiKeysService } from './api-keys.service';
import { ApiKeysResolver } from './api-keys.resolver';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { ReadRateLimit } from './read-rate-limit';
import { ClickHouseApiKeyStore } from './clickhouse-api-key.store';
import { KafkaApiKeyStore } from './kafka-api-key.store';

/**
 * The API keys and the access rules, for every route of the process: keys kept in ClickHouse in
 * embedded mode, in the compacted `telemetry.api-keys.v1` topic in distributed mode; the access
 * guard on every route and GraphQL operation; BOOTSTRAP_ADMIN_KEY adopted at start. Memoised per
 * mode, so every role in a process shares one store, one cache and one guard.
 */
@Global()
@Module({})
export class AccessModule {
  private static readonly byMode = new Map<DomainContext['mode'], DynamicModule>();

  static forRoot({ mode }: DomainContext): DynamicModule {
    let module = AccessModule.byMode.get(mode);
    if (!module) {
      module = {
        module: AccessModule,
        providers: [
          {
            provide: API_KEY_STORE,
            useClass: mode === 'distributed' ? KafkaApiKeyStore : ClickHouseApiKeyStore,
          },
          ApiKeysService,
          AccessRules,
          FailedAuthLimiter,
          ReadRateLimit,
          BootstrapAdminKey,
          AccessDecisionsCheck,
          { provide: APP_GUARD, useClass: AccessGuard },
        ],
        exports: [ApiKeysService, AccessRules, FailedAuthLimiter],
      };
      AccessModule.byMode.set(mode, module);
    }
    return module;
  }
}

/** The api role's key management: `apiKeys`, `createApiKey`, `revokeApiKey` (admin). */
@Module({ providers: [ApiKeysResolver] })
export class AccessApiModule {}
