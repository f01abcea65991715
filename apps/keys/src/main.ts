import { parseArgs } from 'node:util';
import { newApiKey } from '@th/access';

const USAGE = `npm run keys -- <command> [options]

  generate                                  print a new random key, for BOOTSTRAP_ADMIN_KEY (the hub is not asked)
  create --name <who> --scope <scope> ...   create a key on the hub; printed once (scopes: ingest, read, admin)
  list                                      the hub's keys, without their secrets
  revoke <id>                               revoke a key (every replica stops taking it within seconds)

  --url <url>   the hub (HUB_URL; default http://127.0.0.1:$PORT, PORT 8080)
  --key <key>   an admin key (HUB_API_KEY); none is needed on a hub bound to localhost that has no
                read or admin key yet, which is how the first one is made`;

interface ApiKeyView {
  id: string;
  name: string;
  scopes: string[];
  owner: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

class CliError extends Error {}

/** One GraphQL call to the hub's admin API; the hub's own message on any error. */
async function call<T>(url: string, key: string | undefined, query: string, variables: object): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach the hub at ${url} (${(error as Error).message}): is it running? (--url, HUB_URL)`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new CliError(body.errors.map((e) => e.message).join('; '));
  if (!response.ok || !body.data) throw new CliError(`the hub answered ${response.status}`);
  return body.data;
}

const FIELDS = 'id name scopes owner createdAt revokedAt lastUsedAt';

function line(k: ApiKeyView): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`;
  return `${k.id}  ${k.name}  [${k.scopes.join(', ')}]${k.owner ? `  ${k.owner}` : ''}  created ${k.createdAt}  ${state}`;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  const url = values.url ?? process.env.HUB_URL ?? `http://127.0.0.1:${process.env.PORT || 8080}`;
  const key = values.key ?? process.env.HUB_API_KEY;
  switch (values.help ? 'help' : command) {
    case 'generate':
      process.stdout.write(`${newApiKey('thk_')}\n`);
      return;
    case 'create': {
      if (!values.name || !values.scope?.length)
        throw new CliError('create needs --name <who> and at least one --scope');
      const { createApiKey } = await call<{ createApiKey: { key: string; apiKey: ApiKeyView } }>(
        url,
        key,
        `mutation ($name: String!, $scopes: [String!]!) { createApiKey(name: $name, scopes: $scopes) { key apiKey { ${FIELDS} } } }`,
        { name: values.name, scopes: values.scope },
      );
      process.stdout.write(
        `${line(createApiKey.apiKey)}\n${createApiKey.key}\nKeep it now: the hub stores only its hash and never shows it again.\n`,
      );
      return;
    }
    case 'list': {
      const { apiKeys } = await call<{ apiKeys: ApiKeyView[] }>(url, key, `{ apiKeys { ${FIELDS} } }`, {});
      process.stdout.write(apiKeys.length ? `${apiKeys.map(line).join('\n')}\n` : 'no API keys yet\n');
      return;
    }
    case 'revoke': {
      if (rest.length !== 1) throw new CliError('revoke needs the id of one key (see list)');
      const { revokeApiKey } = await call<{ revokeApiKey: ApiKeyView }>(
        url,
        key,
        `mutation ($id: String!) { revokeApiKey(id: $id) { ${FIELDS} } }`,
        { id: rest[0] },
      );
      process.stdout.write(`${line(revokeApiKey)}\n`);
      return;
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      if (!values.help) process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
