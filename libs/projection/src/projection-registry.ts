import { Injectable } from '@nestjs/common';
import type { Projection } from './projection';

/** The projections of every domain, by envelope kind; domain modules register theirs at start-up. */
@Injectable()
export class ProjectionRegistry {
  private readonly byKind = new Map<string, Projection>();

  register<P>(projection: Projection<P>): void {
    if (this.byKind.has(projection.kind))
      throw new Error(`a projection for "${projection.kind}" is already registered`);
    this.byKind.set(projection.kind, projection);
  }

  get(kind: string): Projection | undefined {
    return this.byKind.get(kind);
  }
}
