import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { errorBodyExtrasOf, errorRendererOf } from './error-body-extras';
import { type HttpErrorResponse, toHttpErrorResponse } from './http-error-body';
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
    const response =
      exception instanceof HttpException ? nestErrorResponse(exception) : toHttpErrorResponse(exception);
    if (response.status >= 500 && !(exception instanceof HttpException)) {
      this.logger.error({ msg: 'request failed', err: describeError(exception) });
    }
    const render = errorRendererOf(reply.request);
    if (render) {
      const rendered = render(response, reply.request);
      void reply
        .status(response.status)
        .headers(response.headers)
        .type(rendered.contentType)
        .send(rendered.payload);
      return;
    }
    if (exception instanceof HttpException) {
      void reply.status(response.status).send(response.body);
      return;
    }
    const extras = errorBodyExtrasOf(reply.request)?.(response.body, response.status);
    void reply
      .status(response.status)
      .headers(response.headers)
      .send(extras ? { ...response.body, ...extras } : response.body);
  }
}

/** Nest's own exceptions (unknown route, method not allowed, refused media type): their status, our body. */
function nestErrorResponse(exception: HttpException): HttpErrorResponse {
  const status = exception.getStatus();
  return {
    status,
    headers: {},
    body: { success: false, error: HTTP_CODES[status] ?? `http_${status}`, message: exception.message },
  };
}
