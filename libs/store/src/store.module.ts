import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { APP_CONFIG, type AppConfig, ReadinessRegistry } from '@th/platform';
import { type Store, createStore, storeTarget } from './clickhouse-client.factory';
import { type MigrationSource, STORE_MIGRATIONS, readAllMigrations, runMigrations } from './migration-runner';
import { RowWriter } from './row-writer';
import { StoreHealthController } from './store-health.controller';
import { CLICKHOUSE, MIGRATION_SOURCES, STORE } from './store.tokens';

/** Applies migrations before the app serves, reports readiness, and closes the client last. */
@Injectable()
class StoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('store');

  constructor(
    @Inject(CLICKHOUSE) private readonly client: ClickHouseClient,
    @Inject(STORE) private readonly store: Store,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MIGRATION_SOURCES) private readonly migrations: readonly MigrationSource[],
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const target = storeTarget(this.config);
    const cluster = target.kind === 'server' ? target.cluster : undefined;
    const applied = await runMigrations(
      this.client,
      await readAllMigrations([STORE_MIGRATIONS, ...this.migrations]),
      { cluster },
    );
    this.logger.log({
      msg: 'store ready',
      // The origin only: a URL may carry credentials (user:password@host).
      target: target.kind === 'server' ? `server ${new URL(target.url).origin}` : `chDB ${target.path}`,
      ...(cluster === undefined ? {} : { cluster }),
      migrationsApplied: applied,
    });
    this.readiness.register({
      name: 'clickhouse',
      check: async () => {
        const ping = await this.client.ping();
        if (!ping.success) throw ping.error;
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The store for every role that reads or writes ClickHouse. `migrations` are the domains' folders,
 * applied after the store's own, before the app serves.
 */
@Global()
@Module({})
export class StoreModule {
  static forRoot(migrations: readonly MigrationSource[]): DynamicModule {
    return {
      module: StoreModule,
      controllers: [StoreHealthController],
      providers: [
        { provide: MIGRATION_SOURCES, useValue: migrations },
        {
          provide: STORE,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            createStore(storeTarget(config), {
              queryTimeoutSeconds: config.CLICKHOUSE_QUERY_TIMEOUT_SECONDS,
              maxMemoryBytes: config.CLICKHOUSE_MAX_MEMORY_BYTES,
            }),
        },
        { provide: CLICKHOUSE, inject: [STORE], useFactory: (store: Store) => store.client },
        StoreLifecycle,
        RowWriter,
      ],
      exports: [CLICKHOUSE, STORE, RowWriter],
    };
  }
}
