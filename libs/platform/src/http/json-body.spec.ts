import Fastify from 'fastify';
import { toHttpErrorResponse } from '../errors/http-error-body';
import { MAX_BODY_DEPTH, acceptJsonBodiesOnly, nestingDepth } from './json-body';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

async function post(payload: string, contentType: string) {
  const app = Fastify();
  acceptJsonBodiesOnly(app);
  app.setErrorHandler((error, _request, reply) => {
    const response = toHttpErrorResponse(error);
    void reply.status(response.status).send(response.body);
  });
  app.post('/', async (request) => ({ got: request.body }));
  const response = await app.inject({
    method: 'POST',
    url: '/',
    payload,
    headers: { 'content-type': contentType },
  });
  await app.close();
  return { status: response.statusCode, body: response.json() };
}

describe('request bodies', () => {
  it('measures nesting without recursion, even thousands of levels deep', () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth({ a: [1, { b: {} }] })).toBe(4);
    expect(nestingDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).toBe(100_000);
  });

  it('accepts JSON nested up to the bound', async () => {
    const response = await post(JSON.stringify(nested(MAX_BODY_DEPTH)), 'application/json; charset=utf-8');
    expect(response.status).toBe(200);
  });

  it('refuses a body nested deeper with 400 naming the bound', async () => {
    // As the hostile reproducer sends it: ~5,000 levels in a few KB.
    const response = await post(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`, 'application/json');
    expect(response).toEqual({
      status: 400,
      body: {
        success: false,
        error: 'bad_request',
        message: `request body nests deeper than ${MAX_BODY_DEPTH} levels`,
        maxDepth: MAX_BODY_DEPTH,
      },
    });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'answers %s with 415',
    async (contentType) => {
      const response = await post('date=2026-02-11', contentType);
      expect(response.status).toBe(415);
      expect(response.body.error).toBe('unsupported_media_type');
    },
  );

  it('refuses prototype poisoning', async () => {
    const response = await post('{"__proto__":{"admin":true}}', 'application/json');
    expect(response.status).toBe(400);
  });
});
