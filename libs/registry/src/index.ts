export * from './compose';
export * from './domains';
export * from './cluster-schema-document';
