export * from './connection.schema';
export * from './developer-report.schema';
