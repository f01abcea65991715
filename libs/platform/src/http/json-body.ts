import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../errors/domain-error';
import { nextSlice, sliceSpent } from '../runtime/time-slice';

/**
 * Deepest nesting a request body may have. Every input's documents are a few levels deep; a bound
 * here means no code behind the edge (canonical JSON, serialisers, validators) can be driven into
 * a stack overflow by a small hostile body.
 */
export const MAX_BODY_DEPTH = 32;

export class BodyTooDeepError extends BadRequestError {
  constructor(maxDepth: number) {
    super(`request body nests deeper than ${maxDepth} levels`);
    this.details.maxDepth = maxDepth;
  }
}

/** How deep `value` nests (a scalar is 0, `{}` and `[]` are 1), stopping once past `limit`. */
export function nestingDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level]);
    }
  }
  return deepest;
}

/**
 * The one body parser of every app: JSON (Fastify's own parser, which refuses `__proto__` and
 * `constructor` poisoning) bounded in depth. Any other Content-Type, `text/plain` and forms
 * included, is a 415 before any handler runs.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Fastify's parser answers through the callback; its return value carries nothing.
    const parse = () =>
      void parseJson(request, String(body), (error: Error | null, value?: unknown) => {
        if (error) return done(error, undefined);
        if (nestingDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
          return done(new BodyTooDeepError(MAX_BODY_DEPTH), undefined);
        }
        done(null, value);
      });
    // Parsing a large body is one block of work: once the slice is spent, it waits for the next.
    const parseInSlice = (): void => {
      if (sliceSpent()) void nextSlice().then(parseInSlice);
      else parse();
    };
    parseInSlice();
  });
}
