import { NotFoundError, ServiceUnavailableError, ValidationFailedError } from './domain-error';
import { toHttpErrorResponse } from './http-error-body';

describe('toHttpErrorResponse', () => {
  it('keeps the DevLake error shape and adds the code and field errors', () => {
    const response = toHttpErrorResponse(
      new ValidationFailedError([{ field: 'date', message: 'is required' }]),
    );
    expect(response).toEqual({
      status: 400,
      headers: {},
      body: {
        success: false,
        error: 'validation_failed',
        message: 'invalid request: date is required',
        errors: [{ field: 'date', message: 'is required' }],
      },
    });
    expect(toHttpErrorResponse(new NotFoundError('connection 3 not found')).body.message).toBe(
      'connection 3 not found',
    );
  });

  it('tells the client when to retry when the service is unavailable', () => {
    const response = toHttpErrorResponse(new ServiceUnavailableError('bus unavailable', 7));
    expect(response.status).toBe(503);
    expect(response.headers['Retry-After']).toBe('7');
  });

  it('maps Fastify body errors to 413 and 415', () => {
    const tooLarge = Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toHttpErrorResponse(tooLarge).status).toBe(413);
    const mediaType = Object.assign(new Error('bad type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(toHttpErrorResponse(mediaType).status).toBe(415);
  });

  it('answers a request its client aborted 400, not as a server failure', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    expect(toHttpErrorResponse(aborted)).toMatchObject({
      status: 400,
      body: { message: 'the request was aborted before its body arrived' },
    });
  });

  it('hides the details of unexpected errors', () => {
    const response = toHttpErrorResponse(new Error('connection string with password'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('password');
  });
});
