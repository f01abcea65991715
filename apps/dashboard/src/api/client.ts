/** Where the dashboard keeps the API key the analyst signed in with (this browser only). */
const KEY_STORAGE = 'telemetry-hub.api-key';

export function savedKey(): string | undefined {
  return localStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function saveKey(key: string | undefined): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
  window.dispatchEvent(new Event('telemetry-hub:key'));
}

/** A failed call, with what the hub said: the message names what to fix. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }

  /** The hub wants a key (or another one): the dashboard asks the analyst to sign in. */
  get needsKey(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Tells the page that the hub wants a key (or another one), so it can offer to sign in. */
function refused(error: HubError): HubError {
  if (error.needsKey)
    window.dispatchEvent(new CustomEvent('telemetry-hub:needs-key', { detail: error.message }));
  return error;
}

function headers(json: boolean): Record<string, string> {
  const key = savedKey();
  return {
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(key ? { authorization: `Bearer ${key}` } : {}),
  };
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { status?: number; code?: string } }[];
}

/** One GraphQL operation against the hub's /graphql; any error of the answer is thrown. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: headers(true),
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new HubError('the hub does not answer: is it running?', undefined, 'unreachable');
  }
  const answer = (await response.json().catch(() => ({}))) as GraphQLAnswer<T>;
  const first = answer.errors?.[0];
  if (first)
    throw refused(
      new HubError(first.message, first.extensions?.status ?? response.status, first.extensions?.code),
    );
  if (!response.ok || !answer.data)
    throw new HubError(`the hub answered ${response.status}`, response.status, undefined);
  return answer.data;
}

/** One of the hub's REST actions (poll, refresh): its JSON answer, or its error thrown. */
export async function action<T>(path: string): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: headers(false) });
  const body = (await response.json().catch(() => ({}))) as T & { message?: string; error?: string };
  if (!response.ok) {
    throw refused(
      new HubError(
        body.message ?? body.error ?? `the hub answered ${response.status}`,
        response.status,
        body.error,
      ),
    );
  }
  return body;
}
