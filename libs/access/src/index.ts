import { join } from 'node:path';
import { compactedTopic } from '@th/bus';
import type { TopicSpec } from '@th/contracts';
import { API_KEYS_TOPIC } from './api-key.schema';

export * from './access.guard';
export * from './access-rules';
export * from './failed-auth-limiter';
export * from './access.module';
export * from './api-keys.resolver';
export { isLoopback } from './loopback';
export * from './api-key.schema';
export { apiKeyHash, newApiKey } from './api-key-secret';
export * from './api-keys.service';

/** The key store's own table (embedded mode). */
export const ACCESS_MIGRATIONS = { owner: 'access', dir: join(__dirname, '..', 'migrations') } as const;

/** The key store's own topic (distributed mode). */
export const ACCESS_TOPICS: readonly TopicSpec[] = [compactedTopic(API_KEYS_TOPIC)];
