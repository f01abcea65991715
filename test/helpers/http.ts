/** Small fetch wrappers that return status, headers and the parsed JSON body. */
/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */
export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function request(
  url: string,
  init: { method?: string; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | Uint8Array | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export async function graphql(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<any> {
  const response = await request(`${baseUrl}/graphql`, { body: { query, variables } });
  return response.body;
}
