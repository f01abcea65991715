import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/**
 * Accepts `Content-Encoding: gzip` (and `deflate`) request bodies. The body limit applies to the
 * decoded bytes, because Fastify counts what this hook hands on; an unknown encoding is a 415.
 */
export function acceptCompressedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : undefined;
    if (!decoder) {
      await reply.status(415).send({
        success: false,
        error: 'unsupported_content_encoding',
        message: `Content-Encoding "${encoding}" is not supported; use gzip, deflate or none`,
      });
      return payload;
    }
    delete request.headers['content-length'];
    payload.on('error', (error) => decoder.destroy(error));
    return payload.pipe(decoder);
  });
}
