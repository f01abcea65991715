export * from './trace-batch.schema';
export * from './trace-request.schema';
