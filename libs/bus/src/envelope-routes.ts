import type { ValueProvider } from '@nestjs/common';
import type { EnvelopeRoute } from '@th/contracts';

/**
 * Which topic each envelope kind travels on, from the domains' declarations. Publishing a kind no
 * domain declared is a programming error and fails loudly instead of landing where nothing reads.
 */
export class EnvelopeRoutes {
  private readonly topics = new Map<string, string>();

  constructor(routes: readonly EnvelopeRoute[]) {
    for (const { kind, topic } of routes) {
      const existing = this.topics.get(kind);
      if (existing !== undefined && existing !== topic) {
        throw new Error(`envelope kind "${kind}" is declared on two topics: ${existing} and ${topic}`);
      }
      this.topics.set(kind, topic);
    }
  }

  topicOf(kind: string): string {
    const topic = this.topics.get(kind);
    if (topic === undefined) throw new Error(`no domain declares the envelope kind "${kind}"`);
    return topic;
  }

  /** Every topic some envelope travels on: what the projector consumes. */
  consumedTopics(): string[] {
    return [...new Set(this.topics.values())];
  }
}

export const ENVELOPE_ROUTES = Symbol('ENVELOPE_ROUTES');

/** The routes as every bus module provides them. */
export function envelopeRoutesProvider(routes: readonly EnvelopeRoute[]): ValueProvider<EnvelopeRoutes> {
  return { provide: ENVELOPE_ROUTES, useValue: new EnvelopeRoutes(routes) };
}
