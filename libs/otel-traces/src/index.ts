export * from './contract';
export * from './otel-traces.domain';
