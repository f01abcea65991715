/** Injection token of the shared `@clickhouse/client` instance. */
export const CLICKHOUSE = Symbol('CLICKHOUSE');

/** Injection token of the {@link Store} (client plus insert path). */
export const STORE = Symbol('STORE');

/** Injection token of the domains' migration folders. */
export const MIGRATION_SOURCES = Symbol('MIGRATION_SOURCES');
