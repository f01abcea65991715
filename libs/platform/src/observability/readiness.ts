import { Injectable } from '@nestjs/common';

/** A dependency the app needs before it can serve: resolves when ready, throws with the reason otherwise. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

interface CheckResult {
  ok: boolean;
  error?: string;
}

/** A dependency that does not answer in this time is not ready (probes must not hang). */
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(work: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Modules register their checks here (store reachable, migrations applied, bus connected). */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (c): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(
            c.check(),
            CHECK_TIMEOUT_MS,
            `${c.name} did not answer within ${CHECK_TIMEOUT_MS} ms`,
          );
          return [c.name, { ok: true }];
        } catch (error) {
          return [c.name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
  }
}
