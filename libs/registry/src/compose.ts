import type { DynamicModule, Type } from '@nestjs/common';
import {
  type DomainContext,
  type EnvelopeRoute,
  PLATFORM_TOPICS,
  type TelemetryDomain,
  type TopicSpec,
  sourceTopic,
} from '@th/contracts';
import { type ConfigVariables, HubStatusResolver } from '@th/platform';
import { ACCESS_MIGRATIONS, ACCESS_TOPICS, AccessApiModule, AccessModule, ApiKeysResolver } from '@th/access';
import type { MigrationSource } from '@th/store';
import { DOMAINS } from './domains';

export type Role = 'gateway' | 'projector' | 'api';

/**
 * The modules for the roles one process runs: the access rules and keys wherever routes are
 * served (key management with the api), then the domains' in registry order.
 */
export function domainModules(
  roles: readonly Role[],
  context: DomainContext,
  domains: readonly TelemetryDomain[] = DOMAINS,
): (Type | DynamicModule)[] {
  const serves = roles.includes('gateway') || roles.includes('api');
  return [
    ...(serves ? [AccessModule.forRoot(context)] : []),
    ...(roles.includes('api') ? [AccessApiModule] : []),
    ...domains.flatMap((domain) =>
      roles.flatMap((role) => {
        const build = domain[role];
        return build ? [build(context)] : [];
      }),
    ),
  ];
}

/** Which topic each envelope kind travels on. */
export function envelopeRoutes(domains: readonly TelemetryDomain[] = DOMAINS): EnvelopeRoute[] {
  return domains.flatMap((domain) => domain.envelopes);
}

/** Every topic to create at start-up: the platform's, the key store's, each envelope topic, the domains' own. */
export function topicSpecs(domains: readonly TelemetryDomain[] = DOMAINS): TopicSpec[] {
  return [
    ...PLATFORM_TOPICS,
    ...ACCESS_TOPICS,
    ...domains.flatMap((domain) => [
      ...domain.envelopes.map(({ topic }) => sourceTopic(topic)),
      ...(domain.topics ?? []),
    ]),
  ];
}

/** The key store's migrations, then each domain's migration folder, owned by the domain. */
export function migrationSources(domains: readonly TelemetryDomain[] = DOMAINS): MigrationSource[] {
  return [ACCESS_MIGRATIONS, ...domains.map((domain) => ({ owner: domain.name, dir: domain.migrations }))];
}

/** Every GraphQL resolver the api serves. */
export function graphqlResolvers(domains: readonly TelemetryDomain[] = DOMAINS): Type[] {
  return [HubStatusResolver, ApiKeysResolver, ...domains.flatMap((domain) => [...domain.resolvers])];
}

/** Every domain's environment variables; two domains may not claim one name. */
export function domainConfigVariables(domains: readonly TelemetryDomain[] = DOMAINS): ConfigVariables {
  const all: Record<string, ConfigVariables[string]> = {};
  const owner = new Map<string, string>();
  for (const domain of domains) {
    for (const [name, variable] of Object.entries(domain.config)) {
      const claimed = owner.get(name);
      if (claimed)
        throw new Error(`config variable ${name} is declared by both ${claimed} and ${domain.name}`);
      owner.set(name, domain.name);
      all[name] = variable;
    }
  }
  return all;
}
