import type { Attributes } from '../contract/otlp-export.schema';

/**
 * A span's attributes over its resource's (the span's win on a clash, as the processor merged
 * them), read without copying either: a projector merges hundreds of thousands of spans a second.
 */
export class MergedAttributes {
  constructor(
    private readonly resource: Attributes,
    private readonly span: Attributes,
  ) {}

  get(key: string): unknown {
    const value = this.span[key];
    return value !== undefined ? value : this.resource[key];
  }

  /** The merged attributes without `excluded` keys, as one JSON object. */
  jsonWithout(excluded: ReadonlySet<string>): string {
    const kept: Attributes = {};
    for (const key of Object.keys(this.resource)) {
      if (!excluded.has(key) && this.span[key] === undefined) kept[key] = this.resource[key];
    }
    for (const key of Object.keys(this.span)) if (!excluded.has(key)) kept[key] = this.span[key];
    return JSON.stringify(kept);
  }
}
