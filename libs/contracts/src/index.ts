export * from './topics';
export * from './envelope';
export * from './developer-reports/developer-report.schema';
export * from './developer-reports/connection.schema';
export * from './app-events/jwc-event.schema';
