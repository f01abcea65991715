import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ACCESS_METADATA, type AccessDecision, clientIpOf } from '@th/platform';
import type { FastifyRequest } from 'fastify';
import { AccessRules } from './access-rules';

/**
 * The access rules on every route and every GraphQL query and mutation (a global guard): the
 * decision declared with `Access` on the handler or its class; for GraphQL, `read` for a query and
 * `admin` for a mutation unless declared.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rules: AccessRules,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declared = this.reflector.getAllAndOverride<AccessDecision | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    let request: FastifyRequest;
    let decision = declared;
    let what: string;
    if (context.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(context);
      const info = gql.getInfo<{ parentType: { name: string }; fieldName: string }>();
      const operation = info.parentType.name === 'Mutation' ? 'mutation' : 'query';
      request = gql.getContext<{ req: FastifyRequest }>().req;
      decision ??= operation === 'mutation' ? 'admin' : 'read';
      what = `${operation} ${info.fieldName}`;
    } else {
      request = context.switchToHttp().getRequest<FastifyRequest>();
      what = `${request.method} ${request.url.split('?')[0]}`;
    }
    await this.rules.check({
      decision,
      what,
      headers: request.headers,
      clientIp: clientIpOf(request),
      path: request.url.split('?')[0],
      // Rate limits and logs know the caller by its key's id (never the key).
      onKey: (record) => ((request as FastifyRequest & { apiKeyId?: string }).apiKeyId = record.id),
    });
    return true;
  }
}
