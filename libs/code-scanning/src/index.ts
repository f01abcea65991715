export * from './contract';
export * from './code-scanning.domain';
