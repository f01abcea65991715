export * from './app-events.domain';
export * from './contract';
export { AnonHasher } from './ingest/anon-hasher';
