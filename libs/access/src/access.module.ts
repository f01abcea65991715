import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { DomainContext } from '@th/contracts';
import { API_KEY_STORE } from './api-key-store';
import { ApiKeysService } from './api-keys.service';
import { ClickHouseApiKeyStore } from './clickhouse-api-key.store';
import { KafkaApiKeyStore } from './kafka-api-key.store';

/**
 * The API keys, for every domain of the process: kept in ClickHouse in embedded mode, in the
 * compacted `telemetry.api-keys.v1` topic in distributed mode. Memoised per mode, so every role in
 * a process shares one store and one cache.
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
        ],
        exports: [ApiKeysService],
      };
      AccessModule.byMode.set(mode, module);
    }
    return module;
  }
}
