export * from './batch-projector';
export * from './projection';
export * from './projection-registry';
export * from './projection.module';
export * from './projector.service';
export * from './row-version';
export * from './store-dead-letter.sink';
