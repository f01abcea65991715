import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { routeAccessTable } from '@th/platform';

/**
 * Refuses to start an app with a route that declares no access decision: the guard would refuse
 * every request to it, so the mistake is made loud at start, not found by a user.
 */
@Injectable()
export class AccessDecisionsCheck implements OnApplicationBootstrap {
  constructor(private readonly modules: ModulesContainer) {}

  onApplicationBootstrap(): void {
    const undecided = routeAccessTable(this.modules).filter((route) => route.decision === undefined);
    if (undecided.length > 0) {
      const list = undecided.map((r) => `${r.method} ${r.path} (${r.declaredIn})`).join(', ');
      throw new Error(`routes without an access decision (add @Access(...)): ${list}`);
    }
  }
}
