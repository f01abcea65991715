import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import {
  ACCESS_METADATA,
  type AccessDecision,
  type RateLimitDecision,
  RateLimitedError,
  clientIpOf,
  rateLimitHeaders,
} from '@th/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessRules } from './access-rules';
import { ReadRateLimit } from './read-rate-limit';

type KeyedRequest = FastifyRequest & { apiKeyId?: string };

/**
 * The access rules on every route and every GraphQL query and mutation (a global guard): the
 * decision declared with `Access` on the handler or its class; for GraphQL, `read` for a query and
 * `admin` for a mutation unless declared. Reads and admin calls then count against the caller's
 * read rate limit, once per HTTP request (a GraphQL request asking for ten fields is one read).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** The read-limit decision of each request in flight, shared by its GraphQL fields. */
  private readonly readDecisions = new WeakMap<FastifyRequest, Promise<RateLimitDecision | undefined>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly rules: AccessRules,
    private readonly reads: ReadRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declared = this.reflector.getAllAndOverride<AccessDecision | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    let request: KeyedRequest;
    let reply: FastifyReply | undefined;
    let decision = declared;
    let what: string;
    if (context.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(context);
      const info = gql.getInfo<{ parentType: { name: string }; fieldName: string }>();
      const operation = info.parentType.name === 'Mutation' ? 'mutation' : 'query';
      request = gql.getContext<{ req: KeyedRequest }>().req;
      decision ??= operation === 'mutation' ? 'admin' : 'read';
      what = `${operation} ${info.fieldName}`;
    } else {
      request = context.switchToHttp().getRequest<KeyedRequest>();
      reply = context.switchToHttp().getResponse<FastifyReply>();
      what = `${request.method} ${request.url.split('?')[0]}`;
    }
    const clientIp = clientIpOf(request);
    await this.rules.check({
      decision,
      what,
      headers: request.headers,
      clientIp,
      path: request.url.split('?')[0],
      // Rate limits and logs know the caller by its key's id (never the key).
      onKey: (record) => (request.apiKeyId = record.id),
    });
    if (decision === 'read' || decision === 'admin') {
      let counted = this.readDecisions.get(request);
      if (!counted) {
        counted = this.reads.take({ keyId: request.apiKeyId, clientIp });
        this.readDecisions.set(request, counted);
      }
      const limit = await counted;
      if (limit && !limit.allowed) throw new RateLimitedError(limit, 'reads per READ_RATE_LIMIT_TIME_WINDOW');
      if (limit && reply) void reply.headers(rateLimitHeaders(limit));
    }
    return true;
  }
}
