import type { DynamicModule, Type } from '@nestjs/common';
import type { ConfigVariables } from '@th/platform';
import type { TopicSpec } from './topics';

/** Which deployment a domain's modules are built for. */
export interface DomainContext {
  /** `embedded`: one process, in-process bus, state in ClickHouse. `distributed`: Kafka. */
  readonly mode: 'embedded' | 'distributed';
}

/** One kind of envelope a domain publishes and projects, and the topic it travels on. */
export interface EnvelopeRoute {
  readonly kind: string;
  readonly topic: string;
}

/** A Nest module of one role, built for the deployment at hand. */
export type RoleModule = (context: DomainContext) => Type | DynamicModule;

/**
 * One input of the hub, as the apps see it. Everything an app needs to run the input (its routes,
 * its projection, its reads, its tables, its topics, its settings) is reachable from this object,
 * so adding an input is one folder under libs/ and one line in the registry.
 */
export interface TelemetryDomain {
  /** Folder-style name (`developer-reports`); also the owner of its migrations. */
  readonly name: string;
  /** The envelope kinds it publishes; the projector subscribes to their topics. */
  readonly envelopes: readonly EnvelopeRoute[];
  /** Further topics it owns (for example a compacted state topic); created at start-up. */
  readonly topics?: readonly TopicSpec[];
  /** Folder of its `NNNN_name.sql` migrations, tracked as `<name>/NNNN`. */
  readonly migrations: string;
  /** Its environment variables; validated at start-up and listed in the README. */
  readonly config: ConfigVariables;
  /** Its GraphQL resolvers (served by the api role and printed into apps/api/schema.gql). */
  readonly resolvers: readonly Type[];
  /** HTTP ingestion: validates at the edge and publishes envelopes. */
  readonly gateway?: RoleModule;
  /** Registers its projections. */
  readonly projector?: RoleModule;
  /** Reads: resolvers, repositories, REST reads, management routes. */
  readonly api?: RoleModule;
}
