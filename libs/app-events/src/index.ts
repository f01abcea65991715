export * from './app-events.modules';
export * from './projection/app-events.projection';
export * from './ingest/anon-hasher';
export * from './stats/app-stats.repository';
