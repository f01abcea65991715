export * from './contract';
export * from './pr-traces.domain';
