export * from './app-event-batch.schema';
export * from './jwc-event.schema';
