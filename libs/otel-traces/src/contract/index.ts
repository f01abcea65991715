export * from './otlp-export.schema';
export * from './otlp-request.schema';
