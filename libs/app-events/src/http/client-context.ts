import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, ClientIpResolver } from '@th/platform';

/** The client IP of a request, honouring X-Forwarded-For only from TRUSTED_PROXIES. */
@Injectable()
export class ClientIp {
  private readonly resolver: ClientIpResolver;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.resolver = new ClientIpResolver(config.TRUSTED_PROXIES);
  }

  of(request: FastifyRequest): string {
    return this.resolver.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
  }
}
