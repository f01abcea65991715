import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA, type AccessDecision } from './access-decision';

/** @nestjs/graphql's metadata keys of a resolver method (Query or Mutation) and its field name. */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';

/** One route or GraphQL operation and who may call it. */
export interface RouteAccess {
  kind: 'http' | 'graphql';
  /** `GET`, `POST`...; `query` or `mutation` for GraphQL. */
  method: string;
  /** The HTTP path (with `:params`), or the GraphQL field name. */
  path: string;
  /** Undefined for an HTTP route that declares none (refused); GraphQL falls back to its type's. */
  decision: AccessDecision | undefined;
  declaredIn: string;
}

function joinPath(prefix: string, path: string): string {
  return `/${[prefix, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

/** Nest keeps a path as a string or a list of strings (several paths for one handler). */
const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : [typeof value === 'string' ? value : ''];

/**
 * Every route and GraphQL operation the app serves, read from the controllers' and resolvers'
 * own metadata, with its access decision: what the start-up check and the access matrix test walk,
 * so a new route is covered the moment it exists.
 */
export function routeAccessTable(modules: ModulesContainer): RouteAccess[] {
  const rows: RouteAccess[] = [];
  const seen = new Set<Type>();
  for (const module of modules.values()) {
    const controllers = new Set([...module.controllers.values()].map((w) => w.metatype));
    for (const wrapper of [...module.controllers.values(), ...module.providers.values()]) {
      const type = wrapper.metatype as Type | null;
      // Factory providers' metatype is the factory (an arrow function has no prototype).
      if (typeof type !== 'function' || !type.prototype || seen.has(type)) continue;
      seen.add(type);
      const classDecision = Reflect.getMetadata(ACCESS_METADATA, type) as AccessDecision | undefined;
      const prefixes = controllers.has(type) ? asList(Reflect.getMetadata(PATH_METADATA, type)) : undefined;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        // The descriptor's value, not the property: reading a getter (framework classes have some) runs it.
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const decision =
          (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessDecision | undefined) ?? classDecision;
        const declaredIn = `${type.name}.${name}`;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (prefixes && requestMethod !== undefined && paths !== undefined) {
          for (const prefix of prefixes)
            for (const path of asList(paths))
              rows.push({
                kind: 'http',
                method: RequestMethod[requestMethod],
                path: joinPath(prefix, path),
                decision,
                declaredIn,
              });
        }
        const resolverType = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
        if (resolverType === 'Query' || resolverType === 'Mutation') {
          rows.push({
            kind: 'graphql',
            method: resolverType === 'Query' ? 'query' : 'mutation',
            path: (Reflect.getMetadata(RESOLVER_NAME_METADATA, handler) as string | undefined) ?? name,
            decision: decision ?? (resolverType === 'Query' ? 'read' : 'admin'),
            declaredIn,
          });
        }
      }
    }
  }
  return rows;
}
