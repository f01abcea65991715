export * from './compose';
export * from './domains';
