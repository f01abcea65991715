import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { errorBodyExtrasOf } from './error-body-extras';
import { toHttpErrorResponse } from './http-error-body';
import { describeError } from './retriable';

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Turns every error escaping an HTTP route into the project's JSON error body. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      // Nest's own exceptions (unknown route, method not allowed): keep their status, our body shape.
      const status = exception.getStatus();
      void reply
        .status(status)
        .send({ success: false, error: HTTP_CODES[status] ?? `http_${status}`, message: exception.message });
      return;
    }
    const response = toHttpErrorResponse(exception);
    if (response.status >= 500) this.logger.error({ msg: 'request failed', err: describeError(exception) });
    const extras = errorBodyExtrasOf(reply.request)?.(response.body, response.status);
    void reply
      .status(response.status)
      .headers(response.headers)
      .send(extras ? { ...response.body, ...extras } : response.body);
  }
}
