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
          await c.check();
          return [c.name, { ok: true }];
        } catch (error) {
          return [c.name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
  }
}
