import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../errors/domain-error';
import { Access } from '../http/access-decision';
import { DashboardSite } from './dashboard-site';

/**
 * What the dashboard's page may load: its own scripts, styles and API, nothing from elsewhere;
 * inline styles for the charts' and bars' sizes; no framing (a key typed into it cannot be
 * clickjacked).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * `/dashboard/`: the analysts' web dashboard, and `/` sends browsers there. The pages and assets
 * are public (they hold no data); every figure on them comes from GraphQL, which asks for a `read`
 * key (or none, on localhost while no key exists).
 */
@Controller()
@Access('public')
export class DashboardSiteController {
  private readonly site = new DashboardSite();

  @Get()
  home(@Res() reply: FastifyReply): void {
    void reply.redirect('/dashboard/', 302);
  }

  @Get('dashboard')
  withoutSlash(@Res() reply: FastifyReply): void {
    void reply.redirect('/dashboard/', 301);
  }

  @Get('dashboard/*')
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = (request.params as Record<string, string>)['*'] ?? '';
    const file = await this.site.file(path);
    if (!file) {
      throw new NotFoundError(
        this.site.built
          ? `no dashboard file ${path}`
          : 'the dashboard is not built: run `npm run build` (npm start does it when needed)',
      );
    }
    void reply
      .header('content-type', file.contentType)
      .header('cache-control', file.cacheControl)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'no-referrer')
      .send(file.body);
  }
}
