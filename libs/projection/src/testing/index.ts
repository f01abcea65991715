export * from './fake-row-writer';
