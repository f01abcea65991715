import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { formatGraphQLError } from './graphql-errors';
import { queryLimitRules } from './query-limits';
import { HubStatusResolver } from './hub-status.resolver';

/** Code-first GraphQL at /graphql (Apollo on Fastify), schema built from the resolvers' types. */
@Module({})
export class GraphQLApiModule {
  static forRoot(options: { schemaFile?: string } = {}): DynamicModule {
    return {
      module: GraphQLApiModule,
      imports: [
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            path: '/graphql',
            autoSchemaFile: options.schemaFile ?? true,
            sortSchema: true,
            playground: false,
            introspection: true,
            formatError: formatGraphQLError,
            // Whatever NODE_ENV says: a response never carries a stack trace or a file path.
            includeStacktraceInErrorResponses: false,
            // A document is refused while it is parsed once it has this many tokens (10,000 aliases).
            parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
            validationRules: queryLimitRules(config),
          }),
        }),
      ],
      providers: [HubStatusResolver],
    };
  }
}
