import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { formatGraphQLError } from './graphql-errors';
import { depthLimitRule } from './depth-limit.rule';

/** Largest selection depth a query may have; keeps ClickHouse safe from pathological queries. */
export const GRAPHQL_MAX_DEPTH = 8;

/** Code-first GraphQL at /graphql (Apollo on Fastify), schema built from the resolvers' types. */
@Module({})
export class GraphQLApiModule {
  static forRoot(options: { schemaFile?: string } = {}): DynamicModule {
    return {
      module: GraphQLApiModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: options.schemaFile ?? true,
          sortSchema: true,
          playground: false,
          introspection: true,
          formatError: formatGraphQLError,
          // Whatever NODE_ENV says: a response never carries a stack trace or a file path.
          includeStacktraceInErrorResponses: false,
          validationRules: [depthLimitRule(GRAPHQL_MAX_DEPTH)],
        }),
      ],
    };
  }
}
