export * from './clickhouse-client.factory';
export * from './migration-runner';
export * from './row-writer';
export * from './store.module';
export * from './store.tokens';
export * from './query-rows';
