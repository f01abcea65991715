import { API_KEY_PREFIX } from './api-keys.service';

/**
 * The hub API key a request presents: `Authorization: Bearer thk_...` or `X-Api-Key: thk_...`.
 * Only values with the hub's prefix count: the same headers carry other credentials on some routes
 * (RUNS_INGEST_TOKEN, OTEL_API_KEY, a DevLake connection's token), which those routes check.
 */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(single(headers.authorization) ?? '')?.[1];
  if (bearer?.startsWith(API_KEY_PREFIX)) return bearer;
  const header = single(headers['x-api-key'])?.trim();
  return header?.startsWith(API_KEY_PREFIX) ? header : undefined;
}
