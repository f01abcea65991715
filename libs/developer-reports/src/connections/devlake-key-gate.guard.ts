import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientIpOf } from '@th/platform';
import { ConnectionsService } from './connections.service';

/** DevLake's API-key gate on the plugin's routes reached under `/rest/...` (reports check their own). */
@Injectable()
export class DevLakeKeyGateGuard implements CanActivate {
  constructor(private readonly connections: ConnectionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.connections.checkKeyGate(request.url, request.headers.authorization, clientIpOf(request));
    return true;
  }
}
