export * from './envelope';
export * from './topics';
export * from './telemetry-domain';
