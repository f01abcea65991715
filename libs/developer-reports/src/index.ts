export * from './developer-reports.modules';
export * from './connections/connections.service';
export * from './connections/secret-token';
export * from './metrics/developer-metrics.projection';
export * from './metrics/developer-metrics.repository';
