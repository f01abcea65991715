import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { AppConfig } from '../config/app-config';

export type QueryLimits = Pick<
  AppConfig,
  'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_ALIASES' | 'GRAPHQL_MAX_COST' | 'GRAPHQL_MAX_DIRECTIVES'
>;

/**
 * The bounds every GraphQL operation is validated against before it runs (GraphQL Armor's rules):
 * depth with fragments flattened (a named fragment cannot hide a level), aliases, directives and a
 * static cost. A refused operation is told which limit it broke and what the limit is.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  // Reported as validation errors (400, BAD_USER_INPUT), not thrown: a thrown rule is a 500.
  const reporting = { propagateOnRejection: false, onReject: [reportRefusal] };
  return [
    maxDepthRule({
      n: limits.GRAPHQL_MAX_DEPTH,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...reporting,
    }),
    maxAliasesRule({ n: limits.GRAPHQL_MAX_ALIASES, ...reporting }),
    maxDirectivesRule({ n: limits.GRAPHQL_MAX_DIRECTIVES, ...reporting }),
    costLimitRule({
      maxCost: limits.GRAPHQL_MAX_COST,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...reporting,
    }),
  ] as ValidationRule[];
}

/** GraphQL Armor words its refusals as syntax errors; they are limits, named with their values. */
function reportRefusal(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'BAD_USER_INPUT' },
    }),
  );
}
