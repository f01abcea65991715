import { Injectable } from '@nestjs/common';
import type { Projection } from './projection';

/** The projections of every domain, by envelope kind; domain modules register theirs at start-up. */
@Injectable()
export class ProjectionRegistry {
  private readonly byKind = new Map<string, Projection<unknown, unknown>>();

  register<P, C>(projection: Projection<P, C>): void {
    if (this.byKind.has(projection.kind))
      throw new Error(`a projection for "${projection.kind}" is already registered`);
    // Stored without its types: the projector validates each payload with the projection's own
    // validator and hands `project` the context its own `prepare` made.
    this.byKind.set(projection.kind, projection);
  }

  get(kind: string): Projection<unknown, unknown> | undefined {
    return this.byKind.get(kind);
  }
}
