import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { ApiKeysService } from '@th/access';
import { type AccessDecision, type RouteAccess, routeAccessTable } from '@th/platform';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

type Credential = 'none' | 'ingest' | 'read' | 'admin' | 'revoked' | 'wrong';
const CREDENTIALS: Credential[] = ['none', 'ingest', 'read', 'admin', 'revoked', 'wrong'];

/**
 * The scope table (README): whether a credential passes the access rules for a decision, on a hub
 * that has keys and INGEST_AUTH=required. `own-credential` routes check their own credential after.
 */
function passes(decision: AccessDecision, credential: Credential): boolean {
  if (decision === 'public' || decision === 'own-credential') return true;
  if (decision === 'ingest') return credential === 'ingest';
  if (decision === 'read') return credential === 'read' || credential === 'admin';
  return credential === 'admin';
}

/** A sample value for each path parameter, so the route is reached. */
const samplePath = (path: string) =>
  path.replace(/:traceId/g, '0123456789abcdef0123456789abcdef').replace(/:[A-Za-z]+/g, '1');

/** A value of a GraphQL input type that validates (nulls where allowed). */
function sampleValue(type: GraphQLInputType): string {
  if (!isNonNullType(type)) return 'null';
  const inner = type.ofType;
  if (isListType(inner)) return '[]';
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${sampleValue(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(inner)) {
    if (inner.name === 'Int' || inner.name === 'Float') return '1';
    if (inner.name === 'Boolean') return 'false';
    return '"x"';
  }
  return 'null';
}

/** A valid operation calling one field, with sample arguments and the least selection. */
function operationFor(schema: GraphQLSchema, route: RouteAccess): string {
  const root = route.method === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const field = root.getFields()[route.path];
  const args = field.args
    .filter((a: GraphQLArgument) => isNonNullType(a.type))
    .map((a) => `${a.name}: ${sampleValue(a.type)}`);
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${route.method} { ${route.path}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

/**
 * Issue 14's matrix: every route and GraphQL operation the app serves (read from the app itself,
 * so a new route is in it the moment it exists) × {no key, ingest, read, admin, revoked, wrong},
 * checked against the scope table; then the keyless defaults on localhost and on 0.0.0.0.
 */
describe('access control (embedded)', () => {
  describe('with keys and INGEST_AUTH=required', () => {
    const dataDir = makeDataDir();
    let app: TestApp;
    let routes: RouteAccess[];
    let schema: GraphQLSchema;
    const keys = {} as Record<Credential, string | undefined>;

    beforeAll(async () => {
      // The matrix sends wrong and revoked keys hundreds of times from one client: the failed-
      // authentication and read limits (abuse-limits.e2e-spec.ts) are off here.
      app = await startTestApp(dataDir, {
        INGEST_AUTH: 'required',
        AUTH_FAILURE_LIMIT_PER_CLIENT: '0',
        READ_RATE_LIMIT_MAX: '0',
      });
      routes = routeAccessTable(app.app.get(ModulesContainer));
      schema = app.app.get(GraphQLSchemaHost).schema;
      const service = app.app.get(ApiKeysService);
      for (const scope of ['ingest', 'read', 'admin'] as const)
        keys[scope] = (await service.issueAccessKey(`matrix-${scope}`, [scope])).key;
      const revoked = await service.issueAccessKey('matrix-revoked', ['admin']);
      await service.revoke(revoked.record.id);
      keys.revoked = revoked.key;
      keys.wrong = 'thk_this-key-was-never-issued-by-the-hub-0000000';
      keys.none = undefined;
    });

    afterAll(async () => {
      await app?.stop();
      removeDataDir(dataDir);
    });

    it('has a decision for every route and operation', () => {
      expect(routes.filter((r) => r.decision === undefined)).toEqual([]);
      expect(routes.filter((r) => r.kind === 'http').length).toBeGreaterThan(20);
      expect(routes.filter((r) => r.kind === 'graphql').length).toBeGreaterThan(15);
      // The table the README gives, for the routes it names.
      const decisionOf = (method: string, path: string) =>
        routes.find((r) => r.method === method && r.path === path)?.decision;
      expect(decisionOf('GET', '/health')).toBe('public');
      expect(decisionOf('POST', '/t')).toBe('ingest');
      expect(decisionOf('GET', '/stats')).toBe('read');
      expect(decisionOf('POST', '/api/poll')).toBe('admin');
      expect(decisionOf('query', 'appStats')).toBe('read');
      expect(decisionOf('query', 'apiKeys')).toBe('admin');
      expect(decisionOf('mutation', 'createApiKey')).toBe('admin');
    });

    it('lets each credential through exactly where the scope table says, on every route', async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const route of routes.filter((r) => r.kind === 'http')) {
        for (const credential of CREDENTIALS) {
          const headers: Record<string, string> = {};
          if (keys[credential]) headers.authorization = `Bearer ${keys[credential]}`;
          const method = route.method === 'ALL' ? 'GET' : route.method;
          const withBody = !['GET', 'HEAD', 'DELETE'].includes(method);
          const answer = await request(`${app.url}${samplePath(route.path)}`, {
            method,
            headers,
            ...(withBody ? { body: {} } : {}),
          });
          const refused = typeof answer.body === 'object' && answer.body?.access !== undefined;
          outcomes.push(`${route.method} ${route.path} ${credential}: ${refused ? 'refused' : 'passed'}`);
          expected.push(
            `${route.method} ${route.path} ${credential}: ${passes(route.decision!, credential) ? 'passed' : 'refused'}`,
          );
        }
      }
      expect(outcomes).toEqual(expected);
    }, 120_000);

    it('does the same for every GraphQL query and mutation', async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const route of routes.filter((r) => r.kind === 'graphql')) {
        for (const credential of CREDENTIALS) {
          const headers: Record<string, string> = {};
          if (keys[credential]) headers['x-api-key'] = keys[credential]!;
          const answer = await request(`${app.url}/graphql`, {
            headers,
            body: { query: operationFor(schema, route) },
          });
          const refused = (answer.body.errors ?? []).some((e: any) => e.extensions?.access !== undefined);
          outcomes.push(`${route.method} ${route.path} ${credential}: ${refused ? 'refused' : 'passed'}`);
          expected.push(
            `${route.method} ${route.path} ${credential}: ${passes(route.decision!, credential) ? 'passed' : 'refused'}`,
          );
        }
      }
      expect(outcomes).toEqual(expected);
    }, 120_000);

    it('says what is wrong: a missing key, a key without the scope, a revoked key', async () => {
      const none = await request(`${app.url}/stats`);
      expect(none.status).toBe(401);
      expect(none.body.message).toBe(
        'GET /stats needs an API key with the read scope: send it as Authorization: Bearer <key> or X-Api-Key',
      );
      const ingestOnly = await request(`${app.url}/stats`, {
        headers: { authorization: `Bearer ${keys.ingest}` },
      });
      expect(ingestOnly.status).toBe(403);
      expect(ingestOnly.body.message).toMatch(/scopes \(ingest\) do not allow GET \/stats, which needs read/);
      const revoked = await request(`${app.url}/stats`, { headers: { 'x-api-key': keys.revoked! } });
      expect(revoked.status).toBe(401);
      expect(JSON.stringify(revoked.body)).not.toContain(keys.revoked);
    });

    it('manages keys through the admin GraphQL API: shown once, listed without secret, revoked at once', async () => {
      const admin = { authorization: `Bearer ${keys.admin}` };
      const created = await request(`${app.url}/graphql`, {
        headers: admin,
        body: {
          query: 'mutation { createApiKey(name: "grafana", scopes: ["read"]) { key apiKey { id scopes } } }',
        },
      });
      const { key, apiKey } = created.body.data.createApiKey;
      expect(key).toMatch(/^thk_/);
      expect(
        (await request(`${app.url}/stats`, { headers: { authorization: `Bearer ${key}` } })).status,
      ).toBe(200);
      const listed = await request(`${app.url}/graphql`, {
        headers: admin,
        body: { query: '{ apiKeys { id name scopes revokedAt lastUsedAt } }' },
      });
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect(listed.body.data.apiKeys.find((k: any) => k.id === apiKey.id)).toMatchObject({
        name: 'grafana',
        scopes: ['read'],
        revokedAt: null,
        lastUsedAt: expect.any(String),
      });
      await request(`${app.url}/graphql`, {
        headers: admin,
        body: { query: `mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }` },
      });
      expect(
        (await request(`${app.url}/stats`, { headers: { authorization: `Bearer ${key}` } })).status,
      ).toBe(401);
    });
  });

  describe('without keys', () => {
    /** Runs `check` on an app of its own (chDB: one data directory per process at a time). */
    const withApp = async (env: NodeJS.ProcessEnv, check: (app: TestApp) => Promise<void>) => {
      const dir = makeDataDir();
      const app = await startTestApp(dir, env);
      try {
        await check(app);
      } finally {
        await app.stop();
        removeDataDir(dir);
      }
    };

    it('serves everything keyless to localhost on a hub bound to localhost (the quick start)', () =>
      withApp({}, async (app) => {
        expect((await request(`${app.url}/stats`)).status).toBe(200);
        expect((await request(`${app.url}/api/stats`)).status).toBe(200);
        const gql = await request(`${app.url}/graphql`, { body: { query: '{ apiKeys { id } }' } });
        expect(gql.body.errors).toBeUndefined();
      }));

    it('on 0.0.0.0 refuses reads and admin without a key, explaining how to create the first one', () =>
      withApp({ HOST: '0.0.0.0' }, async (app) => {
        const refused = await request(`${app.url}/stats`);
        expect(refused.status).toBe(401);
        expect(refused.body.message).toMatch(/no API key exists yet/);
        expect(refused.body.message).toMatch(/BOOTSTRAP_ADMIN_KEY/);
        expect(refused.body.message).toMatch(/npm run keys -- create/);
        // Telemetry still comes in keyless (INGEST_AUTH=open), health answers.
        expect((await request(`${app.url}/health`)).status).toBe(200);
        const posted = await request(`${app.url}/t`, {
          body: { v: 'jwc.v1', evt: 'app_open', anon: 'u-1', ts: Date.now() },
        });
        expect(posted.body?.access).toBeUndefined();
      }));

    it('adopts BOOTSTRAP_ADMIN_KEY as the first admin key, which stops working once revoked', async () => {
      const bootstrap = 'thk_bootstrap-key-for-the-access-suite-000000000';
      await withApp({ HOST: '0.0.0.0', BOOTSTRAP_ADMIN_KEY: bootstrap }, async (app) => {
        const admin = { authorization: `Bearer ${bootstrap}` };
        expect((await request(`${app.url}/stats`, { headers: admin })).status).toBe(200);
        const listed = await request(`${app.url}/graphql`, {
          headers: admin,
          body: { query: '{ apiKeys { id name } }' },
        });
        const { id } = listed.body.data.apiKeys.find((k: any) => k.name.startsWith('bootstrap'));
        await request(`${app.url}/graphql`, {
          headers: admin,
          body: { query: `mutation { revokeApiKey(id: "${id}") { id } }` },
        });
        expect((await request(`${app.url}/stats`, { headers: admin })).status).toBe(401);
      });
    });
  });
});
