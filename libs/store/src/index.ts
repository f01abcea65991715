export * from './clickhouse-client.factory';
export * from './migration-runner';
export * from './query-rows';
export * from './row-writer';
export * from './store-errors';
export * from './store-health.controller';
export * from './store.module';
export * from './store.tokens';
