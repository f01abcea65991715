export * from './app-events.domain';
export * from './contract';
