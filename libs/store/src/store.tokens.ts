/** Injection token of the shared `@clickhouse/client` instance. */
export const CLICKHOUSE = Symbol('CLICKHOUSE');
