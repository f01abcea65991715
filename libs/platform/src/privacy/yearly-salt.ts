import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The anon hash key. YEARLY_SALT when set. Otherwise the embedded mode keeps a random one in
 * DATA_DIR/yearly-salt (created once, readable by the owner only), so hashes survive restarts; a
 * gateway among several must share the key, so it refuses to start without YEARLY_SALT.
 */
export function resolveYearlySalt(configured: string | undefined, generatedIn: string | undefined): string {
  if (configured) return configured;
  if (!generatedIn) {
    throw new Error(
      'YEARLY_SALT is not set: every gateway must hash anon ids with the same secret (at least 16 characters)',
    );
  }
  const file = join(resolve(generatedIn), 'yearly-salt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(resolve(generatedIn), { recursive: true });
  const salt = randomBytes(32).toString('hex');
  writeFileSync(file, `${salt}\n`, { mode: 0o600 });
  return salt;
}
