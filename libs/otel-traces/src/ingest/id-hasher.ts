import { createHash, createHmac } from 'node:crypto';

/**
 * How user and organization ids are stored. `sha256` is the telemetry processor's rule (SHA-256
 * hex, first 16 characters), so the hashes join with what instrumented apps hash themselves;
 * `hmac` keys it with a secret, so a hash cannot be tied back to a guessed id. An empty id stays
 * empty (the processor's rule too).
 */
export class IdHasher {
  /** The same few users and organizations send most spans; hashing is the costly step per span. */
  private readonly recent = new Map<string, string>();
  private static readonly RECENT_LIMIT = 50_000;

  private constructor(private readonly digest: (id: string) => string) {}

  static sha256(): IdHasher {
    return new IdHasher((id) => createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16));
  }

  static hmac(secret: string): IdHasher {
    const key = Buffer.from(secret, 'utf8');
    return new IdHasher((id) => createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, 16));
  }

  hash(id: string): string {
    if (id === '') return '';
    const cached = this.recent.get(id);
    if (cached !== undefined) return cached;
    const hashed = this.digest(id);
    if (this.recent.size >= IdHasher.RECENT_LIMIT) this.recent.clear();
    this.recent.set(id, hashed);
    return hashed;
  }
}
