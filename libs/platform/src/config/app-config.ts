import {
  ConfigValueError,
  type ConfigOf,
  type ConfigVariables,
  durationVar,
  enumVar,
  intVar,
  ipListVar,
  listVar,
  originListVar,
  optionalStringVar,
  stringVar,
  urlVar,
} from './config-variable';

/**
 * The environment variables of the shared machinery (HTTP, store, bus, projector). Each domain
 * declares its own next to its code; the README's table lists both (`npm run docs:env`), so a
 * variable cannot exist without its documentation.
 */
export const CONFIG_VARIABLES = {
  PORT: intVar('HTTP port of the app', 8080, { min: 0, max: 65535 }),
  HOST: stringVar(
    'Interface the HTTP server binds to. On a loopback address with no API key, reads and admin need no key (localhost only); elsewhere (0.0.0.0 in the image) they need one',
    '127.0.0.1',
  ),
  INGEST_AUTH: enumVar(
    '`open`: telemetry routes without a credential of their own take posts keyless (collectors send nothing new); `required`: they need an ingest key',
    ['open', 'required'] as const,
    'open',
  ),
  BOOTSTRAP_ADMIN_KEY: optionalStringVar(
    'An admin API key the hub adopts at start (kept as a hash): the first key of a hub bound off localhost. Generate one with `npm run keys -- generate`',
    { pattern: /^thk_[A-Za-z0-9_-]{32,}$/, expected: 'thk_ followed by at least 32 letters, digits, - or _' },
  ),
  DATA_DIR: stringVar('Where the embedded store (chDB) keeps its files', './data'),
  CLICKHOUSE_URL: urlVar('ClickHouse server HTTP(S) URL; when set, it replaces the embedded chDB store'),
  CLICKHOUSE_USER: stringVar('ClickHouse user (server mode)', 'default'),
  CLICKHOUSE_PASSWORD: stringVar('ClickHouse password (server mode)', ''),
  CLICKHOUSE_DATABASE: stringVar('ClickHouse database (server mode; must exist)', 'default'),
  CLICKHOUSE_CLUSTER: optionalStringVar(
    'ClickHouse cluster (a `remote_servers` name or `{cluster}`): tables are created ON CLUSTER as Replicated local tables behind Distributed ones (server mode; see deploy/README.md)',
    { pattern: /^[A-Za-z0-9_.{}-]+$/, expected: 'a cluster name (letters, digits, _ . - { })' },
  ),
  CLICKHOUSE_QUERY_TIMEOUT_SECONDS: intVar(
    'Longest a read may run in the store (max_execution_time); past it the read is stopped and answered 503',
    30,
    { min: 1, max: 3600 },
  ),
  CLICKHOUSE_MAX_MEMORY_BYTES: intVar(
    "Most memory one query may use in the store (max_memory_usage); past it the read is stopped and answered 503. 0: the store's own limit",
    2 * 1024 ** 3,
    { min: 0, max: 1024 ** 4 },
  ),
  YEARLY_SALT: optionalStringVar(
    'Secret key of the keyed hashes of user ids (jwc.v1 `anon`, trace developers) (HMAC-SHA-256, rotating yearly); at least 16 characters. Unset: embedded mode keeps a random one in DATA_DIR, other apps refuse to start',
  ),
  BODY_LIMIT_BYTES: intVar('Largest accepted request body, after gzip decoding', 1_048_576, {
    min: 1024,
    max: 256 * 1_048_576,
  }),
  HTTP_REQUEST_TIMEOUT_MS: intVar(
    'Longest a client may take to send one whole request (headers and body); past it: 408 and the connection is closed',
    30_000,
    { min: 1_000, max: 600_000 },
  ),
  HTTP_HEADERS_TIMEOUT_MS: intVar('Longest a client may take to send the request headers', 10_000, {
    min: 1_000,
    max: 600_000,
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: intVar('How long an idle keep-alive connection stays open', 72_000, {
    min: 1_000,
    max: 600_000,
  }),
  HTTP_CONNECTION_TIMEOUT_MS: intVar('A connection with no traffic for this long is closed', 120_000, {
    min: 1_000,
    max: 3_600_000,
  }),
  SHUTDOWN_TIMEOUT_MS: intVar(
    'On SIGTERM/SIGINT: longest a graceful stop may take (in-flight requests, reads, flushes) before the process exits anyway',
    20_000,
    { min: 1_000, max: 600_000 },
  ),
  HTTP_MAX_CONNECTIONS_PER_IP: intVar(
    'Open connections one client IP may hold (trusted proxies exempt); more are closed on arrival (0: no cap)',
    256,
    { min: 0, max: 1_000_000 },
  ),
  LOG_LEVEL: enumVar(
    'Lowest log level written',
    ['error', 'warn', 'log', 'debug', 'verbose'] as const,
    'log',
  ),
  LOG_FORMAT: enumVar('`json` (one object a line) or `text` for humans', ['json', 'text'] as const, 'json'),
  GRAPHQL_MAX_DEPTH: intVar('Deepest selection a GraphQL operation may have, fragments included', 8, {
    min: 2,
    max: 64,
  }),
  GRAPHQL_MAX_ALIASES: intVar('Most aliases in one GraphQL operation', 15, { min: 1, max: 1000 }),
  GRAPHQL_MAX_TOKENS: intVar('Most tokens in one GraphQL document (refused while parsed)', 2000, {
    min: 100,
    max: 100_000,
  }),
  GRAPHQL_MAX_DIRECTIVES: intVar('Most directives in one GraphQL operation', 20, { min: 1, max: 1000 }),
  GRAPHQL_MAX_COST: intVar(
    'Highest static cost of one GraphQL operation (GraphQL Armor: 2 an object, 1 a field, ×1.5 a level)',
    5000,
    { min: 10, max: 1_000_000 },
  ),
  GRAPHQL_MAX_PAGE_SIZE: intVar('Largest page a GraphQL list returns', 500, { min: 1, max: 10_000 }),
  TRUSTED_PROXIES: ipListVar(
    'Proxy IPs or CIDRs whose X-Forwarded-For is believed (comma-separated); unset: none',
  ),
  RATE_LIMIT_MAX: intVar(
    'Requests allowed per client IP per window on rate-limited ingest routes such as POST /t (0: no limit)',
    2000,
    { min: 0, max: 1_000_000_000 },
  ),
  RATE_LIMIT_TIME_WINDOW: durationVar('Rate limit window, e.g. `1 hour`, `15 minutes`, `30s`', '1 hour'),
  READ_RATE_LIMIT_MAX: intVar(
    'Read and admin requests (a GraphQL request counts once) allowed per API key per READ_RATE_LIMIT_TIME_WINDOW, or per client when no key is sent (0: no limit)',
    3000,
    { min: 0, max: 1_000_000_000 },
  ),
  READ_RATE_LIMIT_TIME_WINDOW: durationVar('Window of READ_RATE_LIMIT_MAX', '1 minute'),
  AUTH_FAILURE_LIMIT_PER_CLIENT: intVar(
    'Failed authentications (unknown or revoked API keys, wrong report tokens) one client may make per AUTH_FAILURE_WINDOW; past it every credential it sends is answered 429 until the window ends (0: no limit)',
    20,
    { min: 0, max: 1_000_000 },
  ),
  AUTH_FAILURE_LIMIT_PER_CONNECTION: intVar(
    'Failed report authentications per DevLake connection per AUTH_FAILURE_WINDOW, from all clients together; past it only clients that authenticated to that connection in the window get through (0: no limit)',
    100,
    { min: 0, max: 1_000_000 },
  ),
  AUTH_FAILURE_WINDOW: durationVar('Window of the failed-authentication limits', '10 minutes'),
  CORS_ORIGINS: stringVar(
    'Origins allowed to call the ingestion routes (POST /t, /ingest, /v1/traces, /api/runs) from a browser: `*`, or a comma-separated list',
    '*',
  ),
  API_CORS_ORIGINS: originListVar(
    'Origins allowed to call GraphQL, the reads and the admin routes from a browser, comma-separated (no `*`). Empty: those routes send no CORS headers, so no web page can call them',
  ),
  KAFKA_BROKERS: listVar(
    'Kafka bootstrap servers, comma-separated (distributed mode: gateway, projector, api)',
  ),
  KAFKA_CLIENT_ID: stringVar('Kafka client id prefix', 'telemetry-hub'),
  KAFKA_TOPIC_PARTITIONS: intVar('Partitions of each topic created at start-up', 6, { min: 1, max: 10_000 }),
  KAFKA_REPLICATION_FACTOR: intVar('Replication factor of each topic created at start-up', 1, {
    min: 1,
    max: 16,
  }),
  KAFKA_PUBLISH_TIMEOUT_MS: intVar(
    'Gateway: answer 503 when the broker has not acknowledged within this',
    5000,
    {
      min: 100,
      max: 120_000,
    },
  ),
  KAFKA_CONSUMER_GROUP: stringVar('Projector consumer group', 'telemetry-hub-projector'),
  PROJECTOR_MAX_BATCH_BYTES: intVar('Projector: largest fetch per partition', 16 * 1_048_576, {
    min: 65_536,
    max: 512 * 1_048_576,
  }),
  PROJECTOR_RETRY_MAX_MS: intVar('Projector: longest pause between retries of a failing insert', 30_000, {
    min: 100,
    max: 600_000,
  }),
  EMBEDDED_RETRY_WINDOW_MS: intVar(
    'Embedded mode: how long a request waits on a failing store (retrying) before it is answered 503',
    5000,
    { min: 0, max: 120_000 },
  ),
  PROJECTOR_SERVE_API: enumVar(
    'Projector: also serve the GraphQL api in its process (shares its chDB)',
    ['false', 'true'] as const,
    'false',
  ),
} satisfies ConfigVariables;

/** The platform's settings, plus the environment they came from (domains parse theirs from it). */
export type AppConfig = ConfigOf<typeof CONFIG_VARIABLES> & {
  readonly source: Readonly<Record<string, string | undefined>>;
};

/** Raised at start-up when one or more variables are invalid; names each of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses one set of variables; throws ConfigError naming every bad one. */
export function parseConfig<V extends ConfigVariables>(
  variables: V,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOf<V> {
  const problems: string[] = [];
  const entries = Object.entries(variables).map(([name, variable]) => {
    try {
      return [name, variable.parse(env[name])] as const;
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      problems.push(`${name} ${error.message}`);
      return [name, undefined] as const;
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(Object.fromEntries(entries)) as ConfigOf<V>;
}

/**
 * Parses and validates the environment: the platform's variables and, when given, every domain's,
 * so one start-up error names every bad variable at once.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  domainVariables: ConfigVariables = {},
): AppConfig {
  const source = Object.freeze({ ...env });
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const platform = attempt(() => parseConfig(CONFIG_VARIABLES, source));
  attempt(() => parseConfig(domainVariables, source));
  if (platform?.CLICKHOUSE_CLUSTER && !platform.CLICKHOUSE_URL) {
    problems.push('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL: the embedded chDB store is one server');
  }
  if (problems.length > 0 || !platform) throw new ConfigError(problems);
  return Object.freeze({ ...platform, source });
}
